/** Rendering of the daily incident report as a printable HTML page and an SVG chart, as pure functions. */
@NullMarked
package org.truce.core.report;

import org.jspecify.annotations.NullMarked;
