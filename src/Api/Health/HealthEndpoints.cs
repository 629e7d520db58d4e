using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (no check, never the database, so a database outage does not restart pods).
/// <c>/health/ready</c>: the database answers and the service is not draining; 503 otherwise. Neither needs credentials.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";
    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<ShutdownDrain>());
        // The host's own timeout covers the drain pause and the server's drain of in-flight requests.
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.DrainDelay + shutdown.Value.Timeout);
        services.AddHealthChecks()
            .AddCheck<ShutdownDrain>("draining", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: DatabaseTimeout);
        return services;
    }

    public static WebApplication MapServiceHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(
            context.Response.Body,
            new HealthBody(report.Status.ToString(), report.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Status.ToString())),
            HealthJson.Default.HealthBody,
            context.RequestAborted);
    }
}

public sealed record HealthBody(string Status, IReadOnlyDictionary<string, string> Checks);
