using System.Buffers;
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
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });

        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await next(context);
        }
    }

    // 32 random hex digits, as a Guid's "N" form, from the runtime's per-thread generator: Guid.NewGuid reads
    // /dev/urandom, one system call per request, and a request id needs to be unique, not unguessable.
    private static string NewRequestId() => ActivityTraceId.CreateRandom().ToHexString();

    private static bool IsAcceptable(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.AsSpan().ContainsAnyExcept(Allowed);
}
