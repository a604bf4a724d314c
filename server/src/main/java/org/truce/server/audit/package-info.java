/** The full offline audit of a stored log: its tiles and root, and every entry's author signature. */
@NullMarked
package org.truce.server.audit;

import org.jspecify.annotations.NullMarked;
