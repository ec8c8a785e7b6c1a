package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.proto.v1.ListModelsRequest;
import com.edgeseg.proto.v1.StudiesGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS, mutual TLS and a bearer token on a real server: the right CA, client certificate and token get through; a
 * client that does not trust the server's CA, one whose certificate another CA signed, one without a certificate,
 * and a missing or wrong token are refused with the documented status (docs/api.md). Certificates are made by
 * openssl for each run.
 */
class TransportSecurityTest {
    static final String TOKEN = "s3cret-token";
    @TempDir
    static Path pki;
    static EdgeSeg edgeseg;
    static EdgeSegServer server;

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    /** A CA ({@code name}.crt/.key) and a certificate it signs ({@code leaf}.crt/.key, PKCS#8). */
    static void ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", "/CN=" + name);
    }

    static void leaf(String leaf, String ca, String cn, boolean server) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", leaf + ".key", "-out", leaf + ".csr", "-subj", "/CN=" + cn);
        Files.writeString(pki.resolve(leaf + ".ext"), server ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                : "extendedKeyUsage=clientAuth\n");
        openssl("x509", "-req", "-in", leaf + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", leaf + ".crt", "-days", "2", "-extfile", leaf + ".ext");
    }

    @BeforeAll
    static void start() throws Exception {
        ca("ca");
        ca("rogue");
        leaf("server", "ca", "localhost", true);
        leaf("client", "ca", "console", false);
        leaf("intruder", "rogue", "intruder", false);
        edgeseg = EdgeSeg.open(EdgeSegConfig.of(CtSeries.testPackage()));
        server = EdgeSegServer.start(edgeseg, new InetSocketAddress("127.0.0.1", 0),
                EdgeSegServer.Security.tls(pki.resolve("server.crt"), pki.resolve("server.key"))
                        .withClientCa(pki.resolve("ca.crt")).withBearerToken(TOKEN));
    }

    @AfterAll
    static void stop() {
        server.close();
        edgeseg.close();
    }

    static EdgeSegClient client(String trust, String cert, String token) {
        return EdgeSegClient.connectTls("127.0.0.1", server.port(), pki.resolve(trust + ".crt"),
                cert == null ? null : pki.resolve(cert + ".crt"), cert == null ? null : pki.resolve(cert + ".key"), token);
    }

    static StatusRuntimeException refused(String trust, String cert, String token) {
        try (EdgeSegClient c = client(trust, cert, token)) {
            StudyException e = assertThrows(StudyException.class, c::classNames);
            assertTrue(e.getCause() instanceof StatusRuntimeException || e instanceof InvalidRequestException,
                    e.toString());
            return e.getCause() instanceof StatusRuntimeException s ? s : null;
        }
    }

    @Test
    void theRightCaCertificateAndTokenGetThrough() {
        try (EdgeSegClient c = client("ca", "client", TOKEN)) {
            assertFalse(c.classNames().isEmpty());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServerIsRefused() {
        StatusRuntimeException e = refused("rogue", "client", TOKEN);
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void aClientCertificateFromAnotherCaOrNoneIsRefused() {
        assertEquals(Status.Code.UNAVAILABLE, refused("ca", "intruder", TOKEN).getStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, refused("ca", null, TOKEN).getStatus().getCode());
    }

    @Test
    void aMissingOrWrongTokenIsRefused() throws Exception {
        try (EdgeSegClient c = client("ca", "client", null)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, c::classNames);
            assertTrue(e.getMessage().contains("no bearer token"), e.getMessage());
        }
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(pki.resolve("ca.crt").toFile())
                        .keyManager(pki.resolve("client.crt").toFile(), pki.resolve("client.key").toFile()).build())
                .build();
        try {
            io.grpc.Metadata wrong = new io.grpc.Metadata();
            wrong.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer nope");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> StudiesGrpc.newBlockingStub(ch)
                    .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(wrong))
                    .listModels(ListModelsRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            io.grpc.Metadata none = new io.grpc.Metadata();
            e = assertThrows(StatusRuntimeException.class, () -> StudiesGrpc.newBlockingStub(ch)
                    .listModels(ListModelsRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        } finally {
            ch.shutdownNow();
        }
    }
}
