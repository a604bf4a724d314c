/** The registry of armed actors, party to the truce or not: their names over time and their status history. */
@NullMarked
package org.truce.core.actor;

import org.jspecify.annotations.NullMarked;
