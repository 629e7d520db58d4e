using System.Diagnostics;
using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace ImageCatalog.IntegrationTests.Platform;

/// <summary>
/// With a collector configured, a request's spans (ASP.NET Core, the mediator, Npgsql) continue the caller's
/// <c>traceparent</c>. The spans are also kept in memory here; the OTLP endpoint points nowhere.
/// </summary>
[NonParallelizable]
public sealed class TracingTests
{
    private readonly SpanList _spans = new();
    private ImageCatalogFactory _service = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _service = new ImageCatalogFactory(TestEnvironment.Database.ConnectionString, TestEnvironment.Clock, builder =>
        {
            builder.UseSetting("OpenTelemetry:OtlpEndpoint", "http://127.0.0.1:9");
            builder.ConfigureTestServices(services =>
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
        });
        _ = _service.Server;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _service.DisposeAsync();

    [Test]
    public async Task A_request_s_spans_continue_the_callers_trace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        using var client = _service.CreateSignedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{ImageCatalogFactory.ProjectA}/images/group?limit=1");
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");

        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ofRequest = await SpansOfAsync(traceId, expected: 3);

        var server = ofRequest.Single(span => span.Kind == ActivityKind.Server);
        Assert.That(server.ParentSpanId, Is.EqualTo(parent), "the server span's parent is the caller's span");
        Assert.That(server.GetTagItem("http.route"), Is.EqualTo("v1/{project_id}/images/group"));
        Assert.That(ofRequest.Select(span => span.Source.Name), Does.Contain(ImageCatalog.Application.Common.Behaviours.MediatorTelemetry.Name));
        Assert.That(ofRequest.Where(span => span.Source.Name == "Npgsql"), Is.Not.Empty, "the SQL command has its span");
    }

    [Test]
    public async Task Probes_and_scrapes_make_no_spans()
    {
        using var client = _service.CreateClient();
        var before = Count();

        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Task.Delay(200);

        Assert.That(Count(), Is.EqualTo(before));
    }

    private int Count() => _spans.Snapshot().Count;

    // Spans end, and are exported, a moment after the response.
    private async Task<List<Activity>> SpansOfAsync(ActivityTraceId traceId, int expected)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var found = _spans.Snapshot().Where(span => span.TraceId == traceId).ToList();
            if (found.Count >= expected && found.Any(span => span.Kind == ActivityKind.Server))
            {
                return found;
            }

            await Task.Delay(100);
        }

        return _spans.Snapshot().Where(span => span.TraceId == traceId).ToList();
    }

    /// <summary>The exporter adds from the threads that end spans; the test reads snapshots.</summary>
    private sealed class SpanList : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock _gate = new();

        public List<Activity> Snapshot()
        {
            lock (_gate)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
