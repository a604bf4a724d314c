/**
 * Incidents with every account kept apart: what happened where and when, what observers saw, what
 * each party claims and what monitors found, each a signed entry that never overwrites another, and
 * the views, filters and daily counts derived from them.
 */
@NullMarked
package org.truce.core.incident;

import org.jspecify.annotations.NullMarked;
