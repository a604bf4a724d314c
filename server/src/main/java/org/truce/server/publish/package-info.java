/** Publication of the log's tiles and checkpoint to static storage (a directory, object storage) for reads behind a CDN. */
@NullMarked
package org.truce.server.publish;

import org.jspecify.annotations.NullMarked;
