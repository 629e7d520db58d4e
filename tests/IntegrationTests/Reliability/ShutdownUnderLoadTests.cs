using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.IntegrationTests.Process;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// SIGTERM in the middle of load fails no request: those in flight finish (even ones still waiting on the database
/// after the server has stopped taking connections), those sent while draining are served, and only requests sent
/// after the drain may find the port closed, which the platform avoids by taking the pod out of rotation first.
/// </summary>
[NonParallelizable]
public sealed class ShutdownUnderLoadTests : ApiTest
{
    private const int LoadClients = 8;
    private const int SlowRequests = 4;
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Stopping_the_service_under_load_fails_none_of_the_requests_in_flight()
    {
        var project = NewProjectId();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");
        var settings = ServiceProcess.Settings(TestEnvironment.Database.ConnectionString, testTokens: true);
        settings["Shutdown__DrainDelay"] = "00:00:02";
        settings["Shutdown__Timeout"] = "00:00:15";
        await using var service = ServiceProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Auth-Token", ImageCatalogFactory.IssueToken([project], ["reader"]));
        await service.WaitUntilServingAsync(client, "/health/ready", TimeSpan.FromMinutes(1));

        // Slow requests: the group list waits on a lock this test holds until after the server stopped listening.
        var blocker = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        await blocker.OpenAsync();
        await blocker.ExecuteAsync("BEGIN; LOCK TABLE image_groups IN ACCESS EXCLUSIVE MODE;");
        var slow = Enumerable.Range(0, SlowRequests).Select(_ => client.GetAsync($"/v1/{project}/images/group")).ToArray();

        // Fast requests, in closed loops, on tables the lock leaves free.
        var clock = Stopwatch.StartNew();
        var signalled = TimeSpan.MaxValue;
        var outcomes = new ConcurrentBag<(TimeSpan Sent, string Outcome)>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, LoadClients).Select(i => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested && !service.HasExited)
            {
                var sent = clock.Elapsed;
                try
                {
                    using var response = await client.GetAsync(i % 2 == 0 ? $"/v1/{project}/images/{image.Id}" : $"/v1/{project}/images?limit=5");
                    outcomes.Add((sent, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                catch (HttpRequestException exception)
                {
                    outcomes.Add((sent, "connection: " + (exception.HttpRequestError)));
                    await Task.Delay(20);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        signalled = clock.Elapsed;
        await service.SignalTerminateAsync();
        // Past the drain the server stops listening; the slow requests are still waiting on the database then.
        await Task.Delay(DrainDelay + TimeSpan.FromSeconds(1));
        var slowStillRunning = slow.Count(request => !request.IsCompleted);
        await blocker.ExecuteAsync("COMMIT");
        await blocker.DisposeAsync();

        var slowStatuses = await Task.WhenAll(slow.Select(async request => (await request).StatusCode));
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);

        // Everything sent before the drain ended must have been answered with a success.
        var drainEnded = signalled + DrainDelay;
        var beforeDrainEnded = outcomes.Where(outcome => outcome.Sent < drainEnded).ToList();
        var failedBeforeDrainEnded = beforeDrainEnded.Where(outcome => outcome.Outcome != "200").ToList();
        var afterDrain = outcomes.Where(outcome => outcome.Sent >= drainEnded).ToList();
        ReliabilityFigures.Record("shutdown-under-load", new
        {
            LoadClients,
            SlowRequestsInFlightAtTheSignal = SlowRequests,
            SlowRequestsStillWaitingAfterTheServerStoppedListening = slowStillRunning,
            SlowRequestsSucceeded = slowStatuses.Count(status => status == HttpStatusCode.OK),
            RequestsSentBeforeTheDrainEnded = beforeDrainEnded.Count,
            RequestsSentBeforeTheDrainEndedThatFailed = failedBeforeDrainEnded.Count,
            RequestsSentAfterTheDrain = afterDrain.Count,
            ServerErrorsAfterTheDrain = afterDrain.Count(outcome => outcome.Outcome.StartsWith('5')),
            ExitCode = exitCode,
        });

        Assert.Multiple(() =>
        {
            Assert.That(slowStillRunning, Is.EqualTo(SlowRequests), "the slow requests were in flight across the stop");
            Assert.That(slowStatuses, Has.All.EqualTo(HttpStatusCode.OK), "in-flight requests finish");
            Assert.That(beforeDrainEnded.Count(outcome => outcome.Sent >= signalled), Is.GreaterThan(0), "load ran during the drain");
            Assert.That(failedBeforeDrainEnded.Select(outcome => outcome.Outcome), Is.Empty, "no request sent before the drain ended failed");
            Assert.That(afterDrain.Where(outcome => outcome.Outcome.StartsWith('5')), Is.Empty, "no 5xx even after the drain");
            Assert.That(exitCode, Is.Zero, service.Output);
        });
    }
}
