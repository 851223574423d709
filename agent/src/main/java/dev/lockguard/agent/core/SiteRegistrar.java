package dev.lockguard.agent.core;

import dev.lockguard.internal.core.Sites;
import org.objectweb.asm.MethodVisitor;

/**
 * Registers the sites of one class with the runtime and pushes their ids: the one way every
 * rewriter does it. A registered site is a rewritten one, so registering marks the class changed.
 */
public final class SiteRegistrar {
  private final Target target;
  private final String className;
  private final String sourceFile;

  /**
   * @param className the binary name ({@code com.acme.Foo})
   * @param sourceFile the source file the class was compiled from, or null
   */
  public SiteRegistrar(Target target, String className, String sourceFile) {
    this.target = target;
    this.className = className;
    this.sourceFile = sourceFile;
  }

  /**
   * Registers a site of {@code methodName} at {@code line} (-1 when unknown) and returns its id.
   *
   * @param receiverName the lock's, latch's or queue's name ({@link ReceiverNames}), or null
   */
  public int register(String methodName, int line, String receiverName) {
    target.changed();
    return Sites.register(className, methodName, sourceFile, line, receiverName);
  }

  /** Sets a site's line once the rewriter has read it, before the class is loaded. */
  public void setLine(int site, int line) {
    Sites.setLine(site, line);
  }

  /** A rewriter changed the class where it registered no site. */
  public void changed() {
    target.changed();
  }

  /** Pushes a site's id, as hooks take it last: {@code Stack[+1]: I}. */
  public static void push(MethodVisitor mv, int site) {
    Bytecode.pushInt(mv, site);
  }
}
