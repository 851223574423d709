package dev.lockguard.demo.actors;

import java.util.function.LongUnaryOperator;

/**
 * The recipe's worker actor: {@link #submit} sends a job and returns a {@link Result} that the
 * worker fills in when it has run the job.
 */
final class WorkerActor extends Actor {
  private record Job(LongUnaryOperator function, long argument, Result<Long> result) {}

  WorkerActor(String name) {
    super(name);
  }

  /** Sends {@code function(argument)} to the worker; the returned result gets its value. */
  Result<Long> submit(LongUnaryOperator function, long argument) throws InterruptedException {
    Result<Long> result = new Result<>();
    send(new Job(function, argument, result));
    return result;
  }

  @Override
  protected void run() throws InterruptedException, ActorExit {
    while (true) {
      Job job = (Job) recv();
      job.result().set(job.function().applyAsLong(job.argument()));
    }
  }
}
