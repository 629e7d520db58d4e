using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mediator;

namespace ImageCatalog.Application.Common.Behaviours;

/// <summary>The mediator's traces and metrics: one span and one duration sample per message, named by its type.</summary>
public static class MediatorTelemetry
{
    public const string Name = "ImageCatalog.Mediator";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "imagecatalog.mediator.message.duration",
        unit: "s",
        description: "Time a message spends in the mediator's pipeline, validation and handler included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
}

/// <summary>Outermost behaviour: it measures validation failures too, tagged with the outcome.</summary>
public sealed class TelemetryBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string MessageName = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        using var activity = MediatorTelemetry.Source.StartActivity(MessageName);
        var started = Stopwatch.GetTimestamp();
        var outcome = "success";
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception exception)
        {
            outcome = exception.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
            throw;
        }
        finally
        {
            MediatorTelemetry.Duration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("message", MessageName),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
