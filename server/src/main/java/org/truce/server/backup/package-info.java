/** Backing up a running log into one file, and restoring it into an empty place with its root and state checked. */
@NullMarked
package org.truce.server.backup;

import org.jspecify.annotations.NullMarked;
