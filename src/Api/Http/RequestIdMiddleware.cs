using System.Buffers;
using System.Collections;
using System.Diagnostics;

namespace ImageCatalog.Api.Http;

/// <summary>
/// Echoes the caller's <c>X-Request-Id</c> when it is a sane token, else makes one; the id becomes the
/// request's TraceIdentifier (so error bodies carry it) and a logging scope.
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

        using (logger.BeginScope(new RequestIdScope(requestId)))
        {
            await next(context);
        }
    }

    // 32 random hex digits, as a Guid's "N" form, from the runtime's per-thread generator: Guid.NewGuid reads
    // /dev/urandom, one system call per request, and a request id needs to be unique, not unguessable.
    private static string NewRequestId() => ActivityTraceId.CreateRandom().ToHexString();

    private static bool IsAcceptable(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The scope's one property, which the JSON console formatter writes as <c>"RequestId"</c>.</summary>
    private sealed class RequestIdScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new("RequestId", requestId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{requestId}";
    }
}
