package com.edgeseg.cli;

import com.edgeseg.sdk.EdgeSeg;
import com.edgeseg.sdk.EdgeSegConfig;
import com.edgeseg.sdk.EdgeSegServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
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
        Path model = null;
        int port = 50051;
        String bind = "127.0.0.1";
        int threads = 0;
        Path cert = null;
        Path key = null;
        Path clientCa = null;
        String token = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                out.println(usage());
                return Main.OK;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException("option " + a + " needs a value\n" + usage());
            }
            String v = args.get(++i);
            switch (a) {
                case "--model" -> model = Path.of(v);
                case "--port" -> {
                    port = v.equals("0") ? 0 : Args.positiveInt(a, v);
                    if (port > 65535) {
                        throw new UsageException("--port " + port + "; expected 0..65535");
                    }
                }
                case "--bind" -> bind = v;
                case "--threads" -> threads = Args.positiveInt(a, v);
                case "--tls-cert" -> cert = Path.of(v);
                case "--tls-key" -> key = Path.of(v);
                case "--client-ca" -> clientCa = Path.of(v);
                case "--token-file" -> token = java.nio.file.Files.readAllLines(Path.of(v)).stream().findFirst()
                        .map(String::strip).filter(t -> !t.isEmpty())
                        .orElseThrow(() -> new UsageException("--token-file " + v + " is empty; expected a token line"));
                default -> throw new UsageException("unknown option " + a + "\n" + usage());
            }
        }
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
