package org.truce.store;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.truce.tlog.TlogException;
import org.truce.tlog.tiles.TileStorage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A log's tiles and checkpoint in S3-compatible object storage (AWS S3, MinIO, Ceph, S3Proxy…), under
 * a key prefix of a bucket, in the C2SP static layout: served by the bucket's own HTTP endpoint or a
 * CDN in front of it, and read back by the auditor. Full and partial tiles are written with
 * {@code Cache-Control: public, max-age=31536000, immutable}, since every tile path names immutable
 * content; the checkpoint with {@code no-cache}. Thread-safe (the SDK's client is).
 */
final class ObjectStorage implements TileStorage, AutoCloseable {
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String where;

    private ObjectStorage(S3Client s3, String bucket, String prefix, String where) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.where = where;
    }

    /**
     * Storage in {@code bucket} under {@code prefix} (empty, or ending in {@code /}), at {@code endpoint}
     * with path-style addressing, as MinIO-compatible servers need; AWS itself when {@code endpoint} is
     * null. Credentials are the access key given, or else the SDK's default chain (environment,
     * profile, instance role).
     */
    static ObjectStorage s3(@Nullable URI endpoint, String region, String bucket, String prefix,
            @Nullable String accessKey, @Nullable String secretKey) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a key prefix ends in /: " + prefix);
        }
        var b = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(region))
                .forcePathStyle(true)
                // Only the checksums S3 requires: servers other than AWS (S3Proxy, older MinIO) refuse
                // the newer default ones with 501.
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(accessKey != null && secretKey != null
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                        : DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return new ObjectStorage(b.build(), bucket, prefix,
                "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint));
    }

    @Override
    public Optional<byte[]> read(String path) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + path)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new TlogException("cannot read " + path + " from " + where + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new TlogException("cannot read " + path + " from " + where + ": " + e.getMessage(), e);
        }
    }

    /** Stores an object; S3 replaces an object whole, so a reader sees the old content or the new. */
    @Override
    public void write(String path, byte[] data) {
        boolean checkpoint = path.equals("checkpoint");
        try {
            s3.putObject(r -> r.bucket(bucket).key(prefix + path)
                    .cacheControl(checkpoint ? "no-cache" : IMMUTABLE)
                    .contentType(checkpoint ? "text/plain; charset=utf-8" : "application/octet-stream"),
                    RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw new TlogException("cannot write " + path + " to " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        s3.close();
    }
}
