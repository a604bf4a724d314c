@NullMarked
package org.truce.server.http;

import org.jspecify.annotations.NullMarked;
