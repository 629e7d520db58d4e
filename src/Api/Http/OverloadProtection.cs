using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageCatalog.Api.Http;

/// <summary>
/// The <c>Overload</c> section: how many API requests run at once and how many wait, both per connection of the
/// database pool, since the pool is what the requests share (Database:MaxPoolSize, or the connection string's own).
/// </summary>
public sealed class OverloadOptions
{
    public const string SectionName = "Overload";

    /// <summary>API requests in progress at once, per pooled connection: a little more than one keeps the pool busy.</summary>
    public int ConcurrencyPerConnection { get; set; } = 2;

    /// <summary>
    /// Requests that may wait for a turn, per pooled connection; any more are refused at once with a 503. Long enough
    /// that a burst which the pool drains in milliseconds is not shed, short enough to bound the wait under overload.
    /// </summary>
    public int QueuePerConnection { get; set; } = 8;
}

/// <summary>Failures name the configuration key, so that the one line the process prints says what to fix.</summary>
public sealed class OverloadOptionsValidator : IValidateOptions<OverloadOptions>
{
    public ValidateOptionsResult Validate(string? name, OverloadOptions options)
    {
        var failures = new List<string>();
        if (options.ConcurrencyPerConnection is < 1 or > 64)
        {
            failures.Add($"{OverloadOptions.SectionName}:{nameof(OverloadOptions.ConcurrencyPerConnection)} must be from 1 to 64, not {options.ConcurrencyPerConnection}");
        }

        if (options.QueuePerConnection is < 0 or > 1000)
        {
            failures.Add($"{OverloadOptions.SectionName}:{nameof(OverloadOptions.QueuePerConnection)} must be from 0 to 1000, not {options.QueuePerConnection}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Sheds load before it queues without bound: a process-wide concurrency limit on <c>/v1</c>, sized to the connection
/// pool, whose queue is short, so an accepted request waits a bounded time and the rest get a quick 503 with
/// <c>Retry-After</c> instead of a slow timeout. It runs before authentication, so shedding costs next to nothing; the
/// per-credential rate limit (429) runs after it. Probes, metrics and the reference page are never shed.
/// </summary>
public sealed class OverloadProtection : IDisposable
{
    public const string RetryAfterSeconds = "1";

    private readonly ConcurrencyLimiter _limiter;

    public OverloadProtection(NpgsqlDataSource dataSource, IOptions<OverloadOptions> options)
    {
        var poolSize = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;
        ConcurrencyLimit = poolSize * options.Value.ConcurrencyPerConnection;
        QueueLimit = poolSize * options.Value.QueuePerConnection;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = ConcurrencyLimit,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int ConcurrencyLimit { get; }

    public int QueueLimit { get; }

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            return next(context);
        }

        // A free turn (ahead of no waiting request) is taken without an asynchronous layer around the rest of the
        // pipeline: the response gives it back when it has completed (docs/performance.md).
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            context.Response.RegisterForDispose(lease);
            return next(context);
        }

        lease.Dispose();
        return WaitForTurnAsync(context, next);
    }

    private async Task WaitForTurnAsync(HttpContext context, RequestDelegate next)
    {
        var lease = await _limiter.AcquireAsync(1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            var (code, message) = ErrorResponse.ForStatus(StatusCodes.Status503ServiceUnavailable);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, code, message);
            return;
        }

        context.Response.RegisterForDispose(lease);
        await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}

public static class OverloadProtectionSetup
{
    public static IServiceCollection AddOverloadProtection(this IServiceCollection services)
    {
        services.AddOptions<OverloadOptions>().BindConfiguration(OverloadOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OverloadOptions>, OverloadOptionsValidator>();
        return services.AddSingleton<OverloadProtection>();
    }

    public static IApplicationBuilder UseOverloadProtection(this IApplicationBuilder app)
    {
        var protection = app.ApplicationServices.GetRequiredService<OverloadProtection>();
        return app.Use((context, next) => protection.InvokeAsync(context, next));
    }
}
