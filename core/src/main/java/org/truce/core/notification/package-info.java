/**
 * Humanitarian notifications: protected sites and movements notified to the parties, the
 * acknowledgements each named party owes by a deadline, withdrawals, and the views of who was shown
 * what and when.
 */
@NullMarked
package org.truce.core.notification;

import org.jspecify.annotations.NullMarked;
