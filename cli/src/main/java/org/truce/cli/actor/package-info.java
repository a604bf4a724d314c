/** {@code truce actor}: the registry of armed actors, read from a server. */
@NullMarked
package org.truce.cli.actor;

import org.jspecify.annotations.NullMarked;
