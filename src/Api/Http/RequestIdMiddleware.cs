using System.Buffers;
using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace ImageCatalog.Api.Http;

/// <summary>
/// Echoes the caller's <c>X-Request-Id</c> when it is a sane token, else makes one; the id becomes the
/// request's TraceIdentifier (so error bodies carry it) and a logging scope, with the trace id of the caller's
/// <c>traceparent</c> when it sends one.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    public async Task InvokeAsync(HttpContext context)
    {
        var given = context.Request.Headers[HeaderName];
        var requestId = given.Count == 1 && IsAcceptable(given[0]) ? given[0]! : NewRequestId();
        context.TraceIdentifier = requestId;
        // Static with the context as its state: no closure to allocate per request.
        context.Response.OnStarting(
            static state =>
            {
                var response = ((HttpContext)state).Response;
                response.Headers[HeaderName] = response.HttpContext.TraceIdentifier;
                return Task.CompletedTask;
            },
            context);

        using (logger.BeginScope(new RequestScope(requestId, TraceIdOf(context.Request.Headers.TraceParent))))
        {
            await next(context);
        }
    }

    // 32 random hex digits, as a Guid's "N" form, from the runtime's per-thread generator: Guid.NewGuid reads
    // /dev/urandom, one system call per request, and a request id needs to be unique, not unguessable.
    private static string NewRequestId() => ActivityTraceId.CreateRandom().ToHexString();

    private static bool IsAcceptable(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.AsSpan().ContainsAnyExcept(Allowed);

    // The trace id of a well-formed W3C traceparent header, so that logs join the caller's trace even when this
    // service exports no traces (appsettings.json turns off the hosting logger whose per-request Activity did that).
    private static string? TraceIdOf(StringValues traceParent) =>
        traceParent.Count == 1 && ActivityContext.TryParse(traceParent[0], null, out var parent) ? parent.TraceId.ToHexString() : null;

    /// <summary>The scope's properties, which the JSON console formatter writes as <c>"RequestId"</c> and <c>"TraceId"</c>.</summary>
    private sealed class RequestScope(string requestId, string? traceId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => traceId is null ? 1 : 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("RequestId", requestId),
            1 when traceId is not null => new("TraceId", traceId),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var index = 0; index < Count; index++)
            {
                yield return this[index];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => traceId is null ? $"RequestId:{requestId}" : $"RequestId:{requestId} TraceId:{traceId}";
    }
}
