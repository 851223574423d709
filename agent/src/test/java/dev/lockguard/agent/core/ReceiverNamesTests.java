package dev.lockguard.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** The one naming rule, fed the instructions javac writes around lock and latch calls. */
class ReceiverNamesTests {
  private static final String OWNER = "com/acme/Account";
  private static final String LOCK = "Ljava/util/concurrent/locks/ReentrantLock;";
  private static final String TIME_UNIT = "Ljava/util/concurrent/TimeUnit;";
  private static final String TIMED = "(JLjava/util/concurrent/TimeUnit;)Z";
  private static final String LATCH = "Ljava/util/concurrent/CountDownLatch;";

  /** As the lock-order rewriters name: any reference, and rw.readLock() keeps rw's name. */
  private final ReceiverNames locks = new ReceiverNames(null, new ReceiverNames.Rules() {
    @Override
    public boolean names(String descriptor) {
      return descriptor.startsWith("L") || descriptor.startsWith("[");
    }

    @Override
    public boolean keepsName(String owner, String name, String descriptor) {
      return name.equals("readLock");
    }
  });

  /** As the latch rewriters name: latch types only. */
  private final ReceiverNames latches = new ReceiverNames(null,
      descriptor -> descriptor.equals(LATCH));

  @Test
  void namesAfterTheFieldOrClassLiteral() {
    locks.visitVarInsn(Opcodes.ALOAD, 0);
    locks.visitFieldInsn(Opcodes.GETFIELD, OWNER, "lock", LOCK);
    assertThat(locks.receiverName("()V")).isEqualTo("Account.lock");

    locks.visitLdcInsn(Type.getObjectType(OWNER));
    assertThat(locks.receiverName()).isEqualTo("Account.class");
    assertThat(ReceiverNames.field("com/acme/Outer$Inner", "queue")).isEqualTo("Outer$Inner.queue");
  }

  @Test
  void javacsSynchronizedBlockKeepsTheName() {
    // synchronized (this.lock) {  ->  aload_0; getfield lock; dup; astore_1; monitorenter
    locks.visitVarInsn(Opcodes.ALOAD, 0);
    locks.visitFieldInsn(Opcodes.GETFIELD, OWNER, "lock", "Ljava/lang/Object;");
    locks.visitInsn(Opcodes.DUP);
    locks.visitVarInsn(Opcodes.ASTORE, 1);

    assertThat(locks.receiverName()).isEqualTo("Account.lock");
  }

  @Test
  void argumentsPushedAfterTheReceiverKeepItsName() {
    // lock.tryLock(this.timeout, unit)  with unit a local
    locks.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "LOCK", LOCK);
    locks.visitVarInsn(Opcodes.ALOAD, 0);
    locks.visitFieldInsn(Opcodes.GETFIELD, OWNER, "timeout", "J");
    locks.visitVarInsn(Opcodes.ALOAD, 2);
    assertThat(locks.receiverName(TIMED)).isEqualTo("Account.LOCK");

    // latch.await(5, TimeUnit.SECONDS)
    latches.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "done", LATCH);
    latches.visitInsn(Opcodes.ICONST_5);
    latches.visitInsn(Opcodes.I2L);
    latches.visitFieldInsn(Opcodes.GETSTATIC, "java/util/concurrent/TimeUnit", "SECONDS",
        TIME_UNIT);
    assertThat(latches.receiverName(TIMED)).isEqualTo("Account.done");
  }

  @Test
  void aReceiverPushedAboveTheNamedValueIsNotNamedAfterIt() {
    // results.add(local.tryLock())  ->  getfield results; aload local; tryLock
    locks.visitVarInsn(Opcodes.ALOAD, 0);
    locks.visitFieldInsn(Opcodes.GETFIELD, OWNER, "results", "Ljava/util/List;");
    locks.visitVarInsn(Opcodes.ALOAD, 1);
    assertThat(locks.receiverName("()Z")).isNull();
    assertThat(locks.receiverName()).isNull();

    // local.await(5, this.unit) below a named latch: two references for one reference argument
    latches.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "done", LATCH);
    latches.visitVarInsn(Opcodes.ALOAD, 1);
    latches.visitLdcInsn(5L);
    latches.visitVarInsn(Opcodes.ALOAD, 0);
    latches.visitFieldInsn(Opcodes.GETFIELD, OWNER, "unit", TIME_UNIT);
    assertThat(latches.receiverName(TIMED)).isNull();
  }

  @Test
  void readLockKeepsTheNameOfItsReadWriteLock() {
    locks.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "catalog",
        "Ljava/util/concurrent/locks/ReentrantReadWriteLock;");
    locks.visitMethodInsn(Opcodes.INVOKEVIRTUAL,
        "java/util/concurrent/locks/ReentrantReadWriteLock", "readLock",
        "()Ljava/util/concurrent/locks/ReentrantReadWriteLock$ReadLock;", false);
    assertThat(locks.receiverName("()V")).isEqualTo("Account.catalog");

    locks.visitMethodInsn(Opcodes.INVOKEVIRTUAL, OWNER, "other", "(I)Ljava/lang/Object;", false);
    assertThat(locks.receiverName()).as("a call with arguments is no getter").isNull();
  }

  @Test
  void joinsStoresAndOtherTypesForgetTheName() {
    latches.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "done", LATCH);
    latches.visitLabel(new Label()); // (c ? a : b).countDown(): another value may arrive here
    assertThat(latches.receiverName()).isNull();

    latches.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "done", LATCH);
    latches.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "holder", "Ljava/lang/Object;");
    assertThat(latches.receiverName()).as("not a latch: a value of its own").isNull();

    latches.visitLdcInsn(Type.getObjectType(OWNER));
    assertThat(latches.receiverName()).as("a class literal is no latch").isNull();

    locks.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "lock", LOCK);
    locks.visitVarInsn(Opcodes.ISTORE, 3);
    assertThat(locks.receiverName()).isNull();
  }

  // ---- this, getters and locals ---------------------------------------------------------------

  private static final String OBJECT = "Ljava/lang/Object;";

  /** As the lock-order rewriters name in an instance method of Account, reading getters. */
  private static ReceiverNames inAccount(boolean framesMarkJoins) {
    return new ReceiverNames(null, descriptor -> descriptor.startsWith("L"), "Account.this",
        new Getters(ReceiverNamesTests.class.getClassLoader(), null), framesMarkJoins);
  }

  @Test
  void thisIsNamedAfterTheClassUntilLocalZeroIsOverwritten() {
    ReceiverNames names = inAccount(true);
    // synchronized (this)  ->  aload_0; dup; astore_1; monitorenter
    names.visitVarInsn(Opcodes.ALOAD, 0);
    names.visitInsn(Opcodes.DUP);
    names.visitVarInsn(Opcodes.ASTORE, 1);
    assertThat(names.receiverName()).isEqualTo("Account.this");

    names.visitInsn(Opcodes.ACONST_NULL);
    names.visitVarInsn(Opcodes.ASTORE, 0);
    names.visitVarInsn(Opcodes.ALOAD, 0);
    assertThat(names.receiverName()).as("local 0 holds something else now").isNull();

    ReceiverNames staticMethod = new ReceiverNames(null, descriptor -> true);
    staticMethod.visitVarInsn(Opcodes.ALOAD, 0);
    assertThat(staticMethod.receiverName()).as("a static method's first argument").isNull();
  }

  @Test
  void aNoArgumentCallIsNamedAfterTheFieldItReturnsOrElseAfterItself() {
    ReceiverNames names = inAccount(true);
    String sub = Type.getInternalName(Sub.class);

    // synchronized (sub.lock()), the getter inherited from Base
    names.visitVarInsn(Opcodes.ALOAD, 1);
    names.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sub, "lock", "()" + OBJECT, false);
    assertThat(names.receiverName()).isEqualTo("ReceiverNamesTests$Base.lock");

    names.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sub, "computed", "()" + OBJECT, false);
    assertThat(names.receiverName()).isEqualTo("ReceiverNamesTests$Sub.computed()");

    names.visitMethodInsn(Opcodes.INVOKESTATIC, sub, "shared", "()" + OBJECT, false);
    assertThat(names.receiverName()).as("a static getter").isEqualTo("ReceiverNamesTests$Base.SHARED");

    names.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/util/concurrent/atomic/AtomicReference",
        "get", "()" + OBJECT, false);
    assertThat(names.receiverName()).as("the JDK's fields say less than its methods")
        .isEqualTo("AtomicReference.get()");

    names.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sub, "getClass", "()Ljava/lang/Class;", false);
    assertThat(names.receiverName()).as("the runtime names a class after itself").isNull();
  }

  @Test
  void aNamedValueStoredInALocalKeepsItsNameUntilAJoinPoint() {
    // kotlinc: synchronized(lock) { }  ->  getfield lock; astore_1; iconst_0; istore_2; aload_1
    ReceiverNames names = inAccount(true);
    names.visitVarInsn(Opcodes.ALOAD, 0);
    names.visitFieldInsn(Opcodes.GETFIELD, OWNER, "lock", OBJECT);
    names.visitVarInsn(Opcodes.ASTORE, 1);
    assertThat(names.receiverName()).as("the value left the stack").isNull();
    names.visitInsn(Opcodes.ICONST_0);
    names.visitVarInsn(Opcodes.ISTORE, 2);
    names.visitLabel(new Label()); // a line number: no join point in a class with frames
    names.visitVarInsn(Opcodes.ALOAD, 1);
    assertThat(names.receiverName()).isEqualTo("Account.lock");

    names.visitFrame(Opcodes.F_NEW, 0, new Object[0], 0, new Object[0]);
    names.visitVarInsn(Opcodes.ALOAD, 1);
    assertThat(names.receiverName()).as("another path may have stored another value").isNull();

    ReceiverNames old = inAccount(false); // a class file without frames: any label may join
    old.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "LOCK", OBJECT);
    old.visitVarInsn(Opcodes.ASTORE, 1);
    old.visitLabel(new Label());
    old.visitVarInsn(Opcodes.ALOAD, 1);
    assertThat(old.receiverName()).isNull();
  }

  /** Getters to read: a trivial one, a static one, and one that computes. */
  static class Base {
    static final Object SHARED = new Object();
    private final Object lock = new Object();

    Object lock() {
      return lock;
    }

    static Object shared() {
      return SHARED;
    }
  }

  /** Inherits {@link Base#lock()}. */
  static final class Sub extends Base {
    Object computed() {
      return lock() == null ? this : lock();
    }
  }
}
