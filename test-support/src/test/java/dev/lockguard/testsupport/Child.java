package dev.lockguard.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The program the tests fork: what it does is its first argument. */
public final class Child {
  private Child() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "print" -> {
        System.out.println("out " + args[1]);
        System.err.println("err " + args[1]);
        System.exit(3);
      }
      case "echo" -> {
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.out.println("echo " + line);
        }
      }
      case "sleep" -> {
        System.out.println("SLEEPING");
        Thread.sleep(Long.MAX_VALUE);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
