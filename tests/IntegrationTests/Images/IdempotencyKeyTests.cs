using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using ImageCatalog.Infrastructure.Images;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Images;

/// <summary>
/// RegisterImage with an Idempotency-Key (CONTRACT.md section 2): the same registration again gets the first answer,
/// another body with the key is a 422, a register that failed keeps no key, and a key is kept for 24 hours.
/// </summary>
public sealed class IdempotencyKeyTests : ApiTest
{
    private const string Body = """{"swr_path": "swr.example.com/team/app:1", "service_type": "TRAIN"}""";

    [Test]
    public async Task The_same_key_and_body_again_answers_the_first_image_and_registers_nothing_more()
    {
        var project = NewProjectId();
        var key = Guid.NewGuid().ToString();

        using var first = await PostWithKeyAsync(project, key, Body);
        Tick();
        // The same registration written differently: spacing, field order and a default spelled out.
        using var again = await PostWithKeyAsync(project, key, """{ "arch":"X86_64","service_type":"train",  "swr_path":"swr.example.com/team/app:1" }""");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), await again.Content.ReadAsStringAsync());
        Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(again.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
        Assert.That((await GetGroupsAsync(project)).Data.Single().VersionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task The_key_with_another_body_is_a_422_that_changes_nothing()
    {
        var project = NewProjectId();
        using var first = await PostWithKeyAsync(project, "key-1", Body);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var reused = await PostWithKeyAsync(project, "key-1", """{"swr_path": "swr.example.com/team/app:2"}""");

        var error = await AssertErrorAsync(reused, HttpStatusCode.UnprocessableEntity, "ModelArts.6422");
        Assert.That(error.ErrorMsg, Does.Contain("key-1"));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_key_belongs_to_its_project()
    {
        using var inA = await PostWithKeyAsync(NewProjectId(), "shared-key", Body);
        using var inB = await PostWithKeyAsync(NewProjectId(), "shared-key", """{"swr_path": "swr.example.com/team/other:1"}""");

        Assert.That(inA.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(inB.StatusCode, Is.EqualTo(HttpStatusCode.Created), await inB.Content.ReadAsStringAsync());
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(2));
    }

    [Test]
    public async Task Parallel_requests_with_one_key_register_once_and_all_get_the_same_image()
    {
        var project = NewProjectId();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await PostWithKeyAsync(project, "parallel", Body);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.That(answers.Select(answer => answer.StatusCode), Has.All.EqualTo(HttpStatusCode.Created), answers[0].Body);
        Assert.That(answers.Select(answer => answer.Body).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
        Assert.That(await GroupCountDifferencesAsync(), Is.Empty);
    }

    [Test]
    public async Task The_first_answer_is_kept_even_after_the_image_is_deleted()
    {
        var project = NewProjectId();
        using var first = await PostWithKeyAsync(project, "then-deleted", Body);
        var image = (await first.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
        Assert.That((await Client.DeleteAsync($"/v1/{project}/images/{image.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var again = await PostWithKeyAsync(project, "then-deleted", Body);

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await again.Content.ReadFromJsonAsync<Image>(Wire.Json))!.Id, Is.EqualTo(image.Id));
        Assert.That(await CountRowsAsync("images"), Is.Zero, "a replay registers nothing");
    }

    [Test]
    public async Task A_register_that_failed_keeps_no_key()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");

        using var conflict = await PostWithKeyAsync(project, "after-409", Body);
        await AssertErrorAsync(conflict, HttpStatusCode.Conflict, "ModelArts.6409");
        using var other = await PostWithKeyAsync(project, "after-409", """{"swr_path": "swr.example.com/team/app:2"}""");

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created), await other.Content.ReadAsStringAsync());
        Assert.That(await CountRowsAsync("idempotency_keys"), Is.EqualTo(1));
    }

    [Test]
    public async Task Without_a_key_the_same_registration_again_is_a_409()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");

        using var again = await PostRawAsync(project, Body);

        await AssertErrorAsync(again, HttpStatusCode.Conflict, "ModelArts.6409");
        Assert.That(await CountRowsAsync("idempotency_keys"), Is.Zero);
    }

    [TestCase(" ")]
    [TestCase("has space")]
    [TestCase("ключ")]
    [TestCase("tab\there")]
    public async Task A_malformed_key_is_a_400_naming_the_header(string key)
    {
        using var response = await PostWithKeyAsync(NewProjectId(), key, Body);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain("Idempotency-Key"));
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [Test]
    public async Task A_key_of_255_characters_is_taken_and_one_of_256_is_a_400()
    {
        var project = NewProjectId();
        using var longest = await PostWithKeyAsync(project, new string('k', 255), Body);
        using var tooLong = await PostWithKeyAsync(project, new string('k', 256), """{"swr_path": "swr.example.com/team/app:2"}""");

        Assert.That(longest.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var error = await AssertErrorAsync(tooLong, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain("Idempotency-Key"));
    }

    [Test]
    public async Task A_repeated_key_header_is_a_400()
    {
        using var response = await PostWithKeysAsync(NewProjectId(), Body, "one", "two");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain("Idempotency-Key"));
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [Test]
    public async Task A_key_is_kept_for_24_hours_and_purged_after()
    {
        var project = NewProjectId();
        using var first = await PostWithKeyAsync(project, "day-old", Body);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var purge = TestEnvironment.Factory.Services.GetRequiredService<IdempotencyKeyPurge>();

        TestEnvironment.Clock.Advance(TimeSpan.FromHours(23));
        Assert.That(await purge.PurgeAsync(CancellationToken.None), Is.Zero);
        using var stillKept = await PostWithKeyAsync(project, "day-old", """{"swr_path": "swr.example.com/team/app:2"}""");
        await AssertErrorAsync(stillKept, HttpStatusCode.UnprocessableEntity, "ModelArts.6422");

        TestEnvironment.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await purge.PurgeAsync(CancellationToken.None);
        Assert.That(await KeyCountAsync(project), Is.Zero);
        using var afterPurge = await PostWithKeyAsync(project, "day-old", """{"swr_path": "swr.example.com/team/app:2"}""");
        Assert.That(afterPurge.StatusCode, Is.EqualTo(HttpStatusCode.Created), await afterPurge.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostWithKeyAsync(string projectId, string key, string body) => PostWithKeysAsync(projectId, body, key);

    /// <summary>A register with an Idempotency-Key header line for each of <paramref name="keys"/>.</summary>
    private async Task<HttpResponseMessage> PostWithKeysAsync(string projectId, string body, params string[] keys)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{projectId}/images")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", keys);
        return await Client.SendAsync(request);
    }

    private static async Task<long> KeyCountAsync(string projectId)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE project_id = @projectId", new { projectId });
    }
}
