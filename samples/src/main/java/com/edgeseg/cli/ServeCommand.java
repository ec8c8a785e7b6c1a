package com.edgeseg.cli;

import com.edgeseg.sdk.EdgeSeg;
import com.edgeseg.sdk.EdgeSegConfig;
import com.edgeseg.sdk.EdgeSegServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code ./edgeseg serve}: the SDK as the {@code edgeseg.v1.Studies} gRPC service until interrupted. */
final class ServeCommand implements Command {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "serve the streaming SDK over gRPC (edgeseg.v1.Studies, health, reflection): serve [--model DIR] [--port N] [--bind ADDR]";
    }

    static String usage() {
        return String.join("\n",
                "usage: edgeseg serve [--model DIR] [--port N] [--bind ADDR] [--threads T]",
                "  --model DIR   model package (default: the shipped one named in models/DEFAULT)",
                "  --port N      TCP port (default 50051; 0 = any free port, printed)",
                "  --bind ADDR   address to listen on (default 127.0.0.1: plaintext, loopback only)",
                "  --threads T   CPU threads for the engines (default: all cores)",
                "  --tls-cert F --tls-key F   serve TLS (PEM chain, PKCS#8 key)",
                "  --client-ca F              require client certificates signed by this CA (mutual TLS)",
                "  --token-file F             require 'authorization: Bearer <first line of F>' on every call");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Optional<Options> parsed = Options.parse(args, Set.of("--model", "--port", "--bind", "--threads", "--tls-cert",
                "--tls-key", "--client-ca", "--token-file"), Set.of(), usage());
        if (parsed.isEmpty()) {
            out.println(usage());
            return Main.OK;
        }
        Options o = parsed.get();
        Path model = o.path("--model");
        int port = o.get("--port", (n, v) -> {
            int p = v.equals("0") ? 0 : Args.positiveInt(n, v);
            if (p > 65535) {
                throw new UsageException("--port " + p + "; expected 0..65535");
            }
            return p;
        }, 50051);
        String bind = o.get("--bind", (n, v) -> v, "127.0.0.1");
        int threads = o.get("--threads", Args::positiveInt, 0);
        Path cert = o.path("--tls-cert");
        Path key = o.path("--tls-key");
        Path clientCa = o.path("--client-ca");
        String token = o.get("--token-file", (n, v) -> {
            try {
                return java.nio.file.Files.readAllLines(Path.of(v)).stream().findFirst().map(String::strip)
                        .filter(t -> !t.isEmpty())
                        .orElseThrow(() -> new UsageException("--token-file " + v + " is empty; expected a token line"));
            } catch (java.io.IOException e) {
                throw new UsageException("--token-file " + v + " cannot be read (" + e.getMessage()
                        + "); expected a readable file");
            }
        }, null);
        if ((cert == null) != (key == null) || (clientCa != null && cert == null)) {
            throw new UsageException("TLS needs both --tls-cert and --tls-key (and --client-ca only with them)\n" + usage());
        }
        EdgeSegServer.Security security = cert == null ? EdgeSegServer.Security.plaintext()
                : EdgeSegServer.Security.tls(cert, key).withClientCa(clientCa);
        if (token != null) {
            security = security.withBearerToken(token);
        }
        Path modelDir = model != null ? model : DefaultModel.resolve();
        CountDownLatch stop = new CountDownLatch(1);
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(modelDir).withEngineThreads(threads));
             EdgeSegServer server = EdgeSegServer.start(edgeseg, new InetSocketAddress(bind, port), security)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "edgeseg-serve-stop"));
            out.printf("serving %s on %s:%d (%s%s; edgeseg.v1.Studies, grpc.health.v1, reflection); Ctrl-C stops%n",
                    modelDir.getFileName(), bind, server.port(), cert == null ? "plaintext" : clientCa == null ? "TLS"
                            : "mutual TLS", token == null ? "" : ", bearer token");
            out.flush();
            stop.await();
        }
        return Main.OK;
    }
}
