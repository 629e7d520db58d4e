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
/// Npgsql's pool and command metrics, the mediator's, and the runtime's. Traces (ASP.NET Core, Npgsql, mediator)
/// over OTLP when a collector is configured; an incoming <c>traceparent</c> becomes the parent.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

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
