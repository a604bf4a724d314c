package org.truce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.truce.tlog.append.Appender;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A log in S3-compatible object storage, against a real S3 server: S3Proxy (from Maven Central) over
 * an in-memory blob store, with AWS signature checks, reached by the AWS SDK over HTTP.
 */
class ObjectStorageTest {
    private static final String ACCESS = "truce-access";
    private static final String SECRET = "truce-secret-key";
    private static S3Proxy proxy;
    private static URI endpoint;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        try (S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                // Only the checksums S3 requires: servers other than AWS (S3Proxy, older MinIO) refuse
                // the newer default ones with 501.
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build()) {
            s3.createBucket(r -> r.bucket("logs"));
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        proxy.stop();
    }

    private static ObjectStorage storage(String prefix) {
        return ObjectStorage.s3(endpoint, "us-east-1", "logs", prefix, ACCESS, SECRET);
    }

    @Test
    void read_whatWasWritten_andNothingForAPathNeverWritten() {
        try (ObjectStorage s = storage("a/")) {
            assertThat(s.read("checkpoint")).isEmpty();
            s.write("checkpoint", "one".getBytes(StandardCharsets.UTF_8));
            s.write("checkpoint", "two".getBytes(StandardCharsets.UTF_8));
            s.write("tile/0/000", new byte[] {1, 2, 3});
            assertThat(s.read("checkpoint")).hasValue("two".getBytes(StandardCharsets.UTF_8));
            assertThat(s.read("tile/0/000")).hasValue(new byte[] {1, 2, 3});
            assertThat(storage("b/").read("tile/0/000")).as("another prefix").isEmpty();
        }
    }

    @Test
    void appendedLog_inTheBucket_verifiesWithTheAuditor() throws Exception {
        Signer key = NoteKeys.parseSigner(NoteKeys.generate("s3.truce.example/log", NoteKeys.TYPE_ED25519,
                new SecureRandom()).privateKey());
        try (ObjectStorage s = storage("log/")) {
            Appender appender = Appender.open(s, key);
            for (int batch = 0; batch < 3; batch++) {
                List<byte[]> entries = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    entries.add(("entry " + batch + "." + i).getBytes(StandardCharsets.UTF_8));
                }
                appender.append(entries);
            }
            AuditReport report = new Auditor(storage("log/"), key.verifier()).audit(null, Auditor.Progress.NONE);
            assertThat(report).isInstanceOf(AuditReport.Verified.class);
        }
    }
}
