using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.Resilience;

/// <summary>
/// A query that meets a transient database error (a pooled connection broken by a restart, a failover, a refused
/// connection) runs once more after a short pause. Commands are never retried here: a write whose outcome is unknown
/// must not be repeated blindly; the client resends it with its Idempotency-Key, and RegisterImage answers that
/// safely. One retry needs no retry library: Polly's context, outcome wrapping and awaiting layers around every
/// first attempt cost about 3 % of a small read's CPU (docs/performance.md).
/// </summary>
public sealed class TransientReadRetryBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly bool IsQuery = typeof(IBaseQuery).IsAssignableFrom(typeof(TMessage));

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        IsQuery ? WithOneRetryAsync(message, next, cancellationToken) : next(message, cancellationToken);

    private static async ValueTask<TResponse> WithOneRetryAsync(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        try
        {
            return await next(message, cancellationToken);
        }
        catch (NpgsqlException exception) when (exception.IsTransient)
        {
            await Task.Delay(TransientReadRetry.JitteredPause(), cancellationToken);
            return await next(message, cancellationToken);
        }
    }
}

public static class TransientReadRetry
{
    /// <summary>The pause before the retry; each one is drawn within 25 % of it, so that the reads a failover broke do not all return at once.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    internal static TimeSpan JitteredPause() => Pause * (0.75 + (Random.Shared.NextDouble() / 2));
}
