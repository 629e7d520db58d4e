using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Platform;

/// <summary><c>/metrics</c> serves OpenTelemetry's Prometheus text, without credentials.</summary>
public sealed class MetricsTests : ApiTest
{
    [Test]
    public async Task After_calls_it_shows_requests_per_route_database_commands_mediator_messages_and_the_runtime()
    {
        var project = NewProjectId();
        Assert.That((await Client.GetAsync($"/v1/{project}/images/group?limit=5")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.GetAsync($"/v1/{project}/images/group?limit=0")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var anonymous = TestEnvironment.Factory.CreateClient();

        var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        var lines = text.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.Matches<string>(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains("http_route=\"v1/{project_id}/images/group\"", StringComparison.Ordinal)
                && line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal)), "requests per route and status");
            Assert.That(lines, Has.Some.Matches<string>(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains("http_response_status_code=\"400\"", StringComparison.Ordinal)), "client errors counted apart");
            Assert.That(lines, Has.Some.StartsWith("db_client_operation_duration_seconds_count{"), "Npgsql commands");
            Assert.That(lines, Has.Some.StartsWith("db_client_connection_count{"), "Npgsql pool");
            Assert.That(lines, Has.Some.Matches<string>(line => line.StartsWith("imagecatalog_mediator_message_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains("message=\"GetImageGroupsQuery\"", StringComparison.Ordinal)
                && line.Contains("outcome=\"ValidationException\"", StringComparison.Ordinal)), "the mediator sees rejected messages too");
            Assert.That(lines, Has.Some.StartsWith("dotnet_gc_"), "runtime metrics");
            Assert.That(lines, Has.None.StartsWith("aspnetcore_routing_match_attempts"), "per-request instruments nothing reads");
            Assert.That(lines, Has.None.StartsWith("aspnetcore_authorization_attempts"), "per-request instruments nothing reads");
            Assert.That(lines, Has.None.StartsWith("db_client_operation_npgsql_executing"), "per-request instruments nothing reads");
        });
    }
}
