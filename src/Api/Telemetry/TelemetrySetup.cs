using System.Reflection;
using ImageCatalog.Api.Health;
using ImageCatalog.Application.Common.Behaviours;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageCatalog.Api.Telemetry;

/// <summary>The <c>OpenTelemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>OTLP (gRPC) endpoint of a collector; traces are exported only when it is set.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The <c>service.name</c> resource attribute of metrics and traces.</summary>
    public string ServiceName { get; set; } = "imagecatalog";
}

/// <summary>
/// Metrics in Prometheus format on <see cref="MetricsPath"/> of the main port: HTTP requests per route and status,
/// Npgsql's pool and command metrics, the mediator's, and the runtime's; the per-request instruments in
/// <see cref="UnrecordedInstruments"/> are not recorded. Traces (ASP.NET Core, Npgsql, mediator)
/// over OTLP when a collector is configured; an incoming <c>traceparent</c> becomes the parent.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Instruments the framework and Npgsql would record on every request, each measurement a tag-set lookup
    /// (together about 4 % of a small read's CPU, docs/performance.md), that say nothing the kept ones do not:
    /// authentication and authorization outcomes are the 401 and 403 of <c>http.server.request.duration</c>, command
    /// concurrency is the pool's <c>db.client.connection.count</c>. Dropped in a view, they are not enabled at all.
    /// </summary>
    public static readonly IReadOnlySet<string> UnrecordedInstruments = new HashSet<string>(StringComparer.Ordinal)
    {
        "aspnetcore.authentication.authenticate.duration",
        "aspnetcore.authorization.attempts",
        "aspnetcore.memory_pool.pooled",
        "aspnetcore.memory_pool.rented",
        "aspnetcore.rate_limiting.active_request_leases",
        "aspnetcore.rate_limiting.request_lease.duration",
        "aspnetcore.routing.match_attempts",
        "db.client.operation.npgsql.bytes_read",
        "db.client.operation.npgsql.bytes_written",
        "db.client.operation.npgsql.executing",
    };

    public static IServiceCollection AddServiceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var version = typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceVersion: version))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(MediatorTelemetry.Name)
                .AddMeter("System.Runtime")
                .AddView(instrument => UnrecordedInstruments.Contains(instrument.Name) ? MetricStreamConfiguration.Drop : null)
                .AddPrometheusExporter());
        if (options.OtlpEndpoint is { } endpoint)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(instrumentation => instrumentation.Filter = context => !IsPlumbing(context.Request.Path))
                .AddNpgsql()
                .AddSource(MediatorTelemetry.Name)
                .AddOtlpExporter(exporter => exporter.Endpoint = endpoint));
        }

        return services;
    }

    public static WebApplication MapServiceMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.Ordinal)
        || path.StartsWithSegments(HealthEndpoints.LivePath, StringComparison.Ordinal)
        || path.StartsWithSegments(HealthEndpoints.ReadyPath, StringComparison.Ordinal);
}
