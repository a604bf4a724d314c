package org.truce.store;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.tiles.TileStorage;

/** Where a log's tiles and checkpoint can be published for static serving: object storage. */
public final class Publishing {
    private Publishing() {}

    /**
     * S3-compatible object storage: {@code bucket} under {@code prefix} (empty, or ending in {@code /}),
     * at {@code endpoint} with path-style addressing (MinIO-compatible servers), or AWS when null;
     * with the access key given, or the AWS SDK's default credentials chain when null.
     */
    public static TileStorage s3(@Nullable URI endpoint, String region, String bucket, String prefix,
            @Nullable String accessKey, @Nullable String secretKey) {
        return ObjectStorage.s3(endpoint, region, bucket, prefix, accessKey, secretKey);
    }
}
