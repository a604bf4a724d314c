/** The web interface: its pages, scripts and basemap, served from the jar at {@code /}. */
@NullMarked
package org.truce.server.web;

import org.jspecify.annotations.NullMarked;
