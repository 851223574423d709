package dev.lockguard.demo.connections;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One TCP connection to the echo server, with connect and read timeouts. Not thread-safe. */
final class EchoClient implements AutoCloseable {
  private final Socket socket;
  private final BufferedReader in;
  private final Writer out;

  private EchoClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
  }

  static EchoClient connect(InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(server, EchoServer.TIMEOUT_MS);
      socket.setSoTimeout(EchoServer.TIMEOUT_MS);
      return new EchoClient(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends {@code line} and returns the line the server sent back. */
  String echo(String line) throws IOException {
    out.write(line + "\n");
    out.flush();
    String answer = in.readLine();
    if (answer == null) {
      throw new IOException("the echo server closed the connection");
    }
    return answer;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
