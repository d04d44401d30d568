package io.dime.adapter.oip;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into a byte array of at most {@code limit} bytes: a body that announces
 * more, or sends more, is refused as soon as that is known (the connection is let go) with a {@link
 * TooLarge}, so a server that answers without end cannot fill the heap.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** A body over the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  private final long limit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private byte[] bytes = new byte[8192];
  private int size;

  private LimitedBody(long limit) {
    this.limit = limit;
  }

  /** A handler whose bodies hold at most {@code limit} bytes. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> {
      OptionalLong announced = info.headers().firstValueAsLong("Content-Length");
      LimitedBody body = new LimitedBody(limit);
      if (announced.isPresent() && announced.getAsLong() > limit) {
        body.tooLarge("announces " + announced.getAsLong() + " bytes, more than");
      }
      return body;
    };
  }

  private void tooLarge(String what) {
    result.completeExceptionally(
        new TooLarge("the response " + what + " the limit of " + limit + " bytes"));
    bytes = null;
    if (subscription != null) {
      subscription.cancel();
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : buffers) {
      long total = (long) size + b.remaining();
      if (total > limit) {
        tooLarge("is longer than");
        return;
      }
      if (total > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(total, 2L * bytes.length)));
      }
      int n = b.remaining();
      b.get(bytes, size, n);
      size += n;
    }
  }

  @Override
  public void onError(Throwable t) {
    bytes = null;
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (!result.isDone()) {
      result.complete(Arrays.copyOf(bytes, size));
      bytes = null;
    }
  }
}
