@NullMarked
package org.truce.server.sequencer;

import org.jspecify.annotations.NullMarked;
