/** {@code truce agreement}: agreements, their steps' status and their timeline, read from a server. */
@NullMarked
package org.truce.cli.agreement;

import org.jspecify.annotations.NullMarked;
