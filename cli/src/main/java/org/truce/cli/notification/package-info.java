/** The notification commands: notified sites and movements and who acknowledged them. */
@NullMarked
package org.truce.cli.notification;

import org.jspecify.annotations.NullMarked;
