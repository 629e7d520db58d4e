using Mediator;
using Npgsql;
using Polly;
using Polly.Retry;

namespace ImageCatalog.Infrastructure.Resilience;

/// <summary>
/// A query that meets a transient database error (a pooled connection broken by a restart, a failover, a refused
/// connection) runs once more after a short pause. Commands are never retried here: a write whose outcome is unknown
/// must not be repeated blindly; the client resends it with its Idempotency-Key, and RegisterImage answers that
/// safely.
/// </summary>
public sealed class TransientReadRetryBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly bool IsQuery = typeof(IBaseQuery).IsAssignableFrom(typeof(TMessage));

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        IsQuery
            ? TransientReadRetry.Pipeline.ExecuteAsync(static (state, token) => state.next(state.message, token), (next, message), cancellationToken)
            : next(message, cancellationToken);
}

public static class TransientReadRetry
{
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    internal static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 1,
            Delay = Pause,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(exception => exception.IsTransient),
        })
        .Build();
}
