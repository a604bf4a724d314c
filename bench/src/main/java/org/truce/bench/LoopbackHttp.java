package org.truce.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection to a server on 127.0.0.1, from a loopback address of its own
 * choosing: a load driver's client. The server limits requests per remote address, so a driver that
 * stands for many clients spreads its connections over many addresses of 127.0.0.0/8 (all of which
 * are this machine's on Linux), as many readers or parties would arrive from many addresses. It is
 * also leaner than {@code java.net.http.HttpClient}, so that on a machine the server shares, the
 * clients take less of the CPU. It knows only what the Truce server answers: a status line, headers,
 * and a body with a {@code Content-Length} or chunked. Reconnects when the server closes. Not
 * thread-safe: one request at a time.
 */
final class LoopbackHttp implements AutoCloseable {
    /** A status, the body, and the {@code Retry-After} header or null. */
    record Response(int status, byte[] body, String retryAfter) {}

    private final InetAddress local;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** A connection from {@code local} to port {@code port} of 127.0.0.1, opened on the first request. */
    LoopbackHttp(InetAddress local, int port) {
        this.local = local;
        this.port = port;
    }

    /** The {@code n}th client address: 127.1.x.y, counting from 127.1.0.1. */
    static InetAddress address(int n) {
        int a = n + 1;
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, (byte) (a >> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Response get(String path) throws IOException {
        return send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII), null);
    }

    Response post(String path, byte[] json) throws IOException {
        return send(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), json);
    }

    private Response send(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        try {
            if (body == null) {
                out.write(head);
            } else {
                byte[] all = new byte[head.length + body.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                out.write(all);
            }
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Response read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        String retryAfter = null;
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).strip();
            String value = h.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closing = value.equalsIgnoreCase("close");
            } else if (name.equalsIgnoreCase("Retry-After")) {
                retryAfter = value;
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n; (n = Integer.parseInt(line().split(";")[0].strip(), 16)) > 0; ) {
                b.write(in.readNBytes(n));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
            body = b.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes();
            closing = true;
        }
        if (closing) {
            close();
        }
        return new Response(code, body, retryAfter);
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing to do: the connection is gone either way.
            }
            socket = null;
        }
    }
}
