package dev.lockguard.agent.core;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** A rewriter of one method's sites, after the method's {@link MethodSites} in its chain. */
public abstract class SiteVisitor extends MethodVisitor {
  protected final MethodSites sites;

  protected SiteVisitor(MethodVisitor next, MethodSites sites) {
    super(Opcodes.ASM9, next);
    this.sites = sites;
  }

  /**
   * Replaces a call by a static hook that takes the receiver, the call's arguments and the site
   * id, and makes the call itself: {@code receiver.name(args)} becomes
   * {@code Hooks.hook(receiver, args, site)}, its site named after the receiver.
   */
  protected void replaceCall(String hooks, String hook, String receiverDescriptor,
      String callDescriptor) {
    push(sites.registerCall(callDescriptor));                  // Stack[+1]: I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, hooks, hook,
        Bytecode.hookDescriptor(receiverDescriptor, callDescriptor), false);
  }

  /** Pushes a site's id: {@code Stack[+1]: I}. */
  protected void push(int site) {
    SiteRegistrar.push(mv, site);
  }
}
