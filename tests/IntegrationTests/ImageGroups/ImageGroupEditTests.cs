using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.ImageGroups;

/// <summary>UpdateImageGroup and DeleteImageGroup through the real pipeline and PostgreSQL.</summary>
public sealed class ImageGroupEditTests : ApiTest
{
    private async Task<Group> GroupAsync(string project) => (await GetGroupsAsync(project)).Data.Single();

    private async Task<HttpResponseMessage> PutAsync(string project, Guid id, object body) =>
        await Client.PutAsJsonAsync($"/v1/{project}/images/group/{id}", body, Wire.Json);

    [Test]
    public async Task Update_sets_read_me_and_tags_which_the_overview_then_returns()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var group = await GroupAsync(project);

        using var response = await PutAsync(project, group.Id, new
        {
            read_me = "# App\nUnicode ✓",
            tags = new[] { new { key = "team", value = "vision" }, new { key = "tier", value = "" } },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        var updated = await GroupAsync(project);
        Assert.That(updated.ReadMe, Is.EqualTo("# App\nUnicode ✓"));
        Assert.That(updated.Tags, Is.EqualTo(new[] { new GroupTag("team", "vision"), new GroupTag("tier", "") }));
        Assert.That(updated with { ReadMe = null, Tags = null }, Is.EqualTo(group), "nothing else changes");
    }

    [Test]
    public async Task The_overview_is_sent_with_its_length_and_the_contracts_field_names()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        await RegisterAsync(project, "swr.example.com/team/bare:1");
        var id = (await GetGroupsAsync(project)).Data.Single(group => group.Name == "app").Id;
        (await PutAsync(project, id, new { read_me = "é \"quoted\" <b>", tags = new[] { new { key = "k", value = "v" } } })).Dispose();

        using var response = await GetGroupsResponseAsync(project);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length), "one piece with its length, not chunked");
        });
        using var page = JsonDocument.Parse(body);
        Assert.That(page.RootElement.EnumerateObject().Select(property => property.Name), Is.EqualTo(new[] { "current", "pages", "size", "total", "data" }));
        var groups = page.RootElement.GetProperty("data").EnumerateArray().ToDictionary(group => group.GetProperty("name").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(
                groups["app"].EnumerateObject().Select(property => property.Name),
                Is.EqualTo(new[] { "id", "name", "namespace", "create_at", "update_at", "version_count", "read_me", "tags" }));
            Assert.That(groups["app"].GetProperty("read_me").GetString(), Is.EqualTo("é \"quoted\" <b>"));
            Assert.That(groups["app"].GetProperty("tags")[0].GetProperty("key").GetString(), Is.EqualTo("k"));
            Assert.That(
                groups["bare"].EnumerateObject().Select(property => property.Name),
                Is.EqualTo(new[] { "id", "name", "namespace", "create_at", "update_at", "version_count" }),
                "read_me and tags are left out while unset");
        });
    }

    [Test]
    public async Task A_field_left_out_stays_and_an_empty_one_clears()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var id = (await GroupAsync(project)).Id;
        (await PutAsync(project, id, new { read_me = "keep me", tags = new[] { new { key = "k", value = "v" } } })).Dispose();

        (await PutAsync(project, id, new { tags = Array.Empty<object>() })).Dispose();
        var tagsCleared = await GroupAsync(project);
        (await PutAsync(project, id, new { read_me = "" })).Dispose();
        var readMeCleared = await GroupAsync(project);

        Assert.That(tagsCleared.ReadMe, Is.EqualTo("keep me"));
        Assert.That(tagsCleared.Tags, Is.Null);
        Assert.That(readMeCleared.ReadMe, Is.Null);
    }

    [Test]
    public async Task Read_me_and_tags_survive_new_versions_of_the_group()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var id = (await GroupAsync(project)).Id;
        (await PutAsync(project, id, new { read_me = "docs" })).Dispose();

        await RegisterAsync(project, "swr.example.com/team/app:2");

        var group = await GroupAsync(project);
        Assert.That(group.Id, Is.EqualTo(id));
        Assert.That(group.ReadMe, Is.EqualTo("docs"));
        Assert.That(group.VersionCount, Is.EqualTo(2));
    }

    public static IEnumerable<TestCaseData> InvalidUpdates()
    {
        yield return new TestCaseData(new { read_me = new string('r', 30001) }, "read_me").SetName("read_me too long");
        yield return new TestCaseData(new { tags = Enumerable.Range(0, 21).Select(i => new { key = $"k{i}", value = "v" }) }, "tags").SetName("21 tags");
        yield return new TestCaseData(new { tags = new[] { new { key = "k", value = "1" }, new { key = "k", value = "2" } } }, "tags").SetName("repeated key");
        yield return new TestCaseData(new { tags = new[] { new { key = "", value = "v" } } }, "tags[0].key").SetName("empty key");
        yield return new TestCaseData(new { tags = new[] { new { key = new string('k', 129), value = "v" } } }, "tags[0].key").SetName("key too long");
        yield return new TestCaseData(new { tags = new[] { new { key = "k", value = new string('v', 256) } } }, "tags[0].value").SetName("value too long");
        yield return new TestCaseData(new { tags = new[] { new { key = "k" } } }, "tags[0].value").SetName("value missing");
    }

    [TestCaseSource(nameof(InvalidUpdates))]
    public async Task An_update_that_breaks_a_rule_is_a_400_naming_the_field_and_changes_nothing(object body, string field)
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var group = await GroupAsync(project);

        using var response = await PutAsync(project, group.Id, body);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain($"Invalid parameter '{field}': "));
        Assert.That(await GroupAsync(project), Is.EqualTo(group));
    }

    [Test]
    public async Task The_longest_read_me_and_twenty_tags_are_accepted()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var id = (await GroupAsync(project)).Id;

        using var response = await PutAsync(project, id, new
        {
            read_me = new string('r', 30000),
            tags = Enumerable.Range(0, 20).Select(i => new { key = new string('k', 125) + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), value = new string('v', 255) }),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That((await GroupAsync(project)).Tags, Has.Count.EqualTo(20));
    }

    [TestCase("{\"tags\": \"x\"}")]
    [TestCase("{\"tags\": [{\"key\": 1, \"value\": \"v\"}]}")]
    [TestCase("{\"read_me\": 5}")]
    [TestCase("[]")]
    [TestCase("")]
    public async Task An_update_body_that_cannot_be_read_is_a_400_invalid_payload(string body)
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team/app:1");
        var id = (await GroupAsync(project)).Id;

        using var response = await Client.PutAsync(
            $"/v1/{project}/images/group/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.6400");
    }

    [Test]
    public async Task Delete_removes_every_version_of_the_group_and_no_other()
    {
        var project = NewProjectId();
        for (var i = 0; i < 3; i++)
        {
            await RegisterAsync(project, $"swr.example.com/team/app:{i}");
        }

        await RegisterAsync(project, "swr.example.com/team/other:1");
        var app = (await GetGroupsAsync(project)).Data.Single(group => group.Name == "app");

        using var response = await Client.DeleteAsync($"/v1/{project}/images/group/{app.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That((await GetGroupsAsync(project)).Data.Select(group => group.Name), Is.EqualTo(new[] { "other" }));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
        using var again = await Client.DeleteAsync($"/v1/{project}/images/group/{app.Id}");
        await AssertErrorAsync(again, HttpStatusCode.NotFound, "ModelArts.6404");
    }

    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task Another_projects_group_is_a_404_and_unchanged(string method)
    {
        var owner = NewProjectId();
        await RegisterAsync(owner, "swr.example.com/team/app:1");
        var group = await GroupAsync(owner);

        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/{NewProjectId()}/images/group/{group.Id}")
        {
            Content = JsonContent.Create(new { read_me = "hijack" }, options: Wire.Json),
        });

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ModelArts.6404");
        Assert.That(await GroupAsync(owner), Is.EqualTo(group));
    }

    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task A_built_in_group_is_a_403_for_a_writer(string method)
    {
        await RegisterAsync(NewProjectId(), "swr.example.com/platform/tf:1", type: "BUILD_IN");
        var project = NewProjectId();
        var group = await GroupAsync(project);
        using var writer = TestEnvironment.Factory.CreateSignedClient("WRITER-ALL");

        using var response = await writer.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/{project}/images/group/{group.Id}")
        {
            Content = JsonContent.Create(new { read_me = "x" }, options: Wire.Json),
        });

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "ModelArts.0108");
        Assert.That(await GroupAsync(project), Is.EqualTo(group));
    }

    [Test]
    public async Task An_operator_may_edit_and_delete_a_built_in_group()
    {
        await RegisterAsync(NewProjectId(), "swr.example.com/platform/tf:1", type: "BUILD_IN");
        var project = NewProjectId();
        var id = (await GroupAsync(project)).Id;

        using var update = await PutAsync(project, id, new { read_me = "platform image" });
        var updated = await GroupAsync(project);
        using var delete = await Client.DeleteAsync($"/v1/{project}/images/group/{id}");

        Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(updated.ReadMe, Is.EqualTo("platform image"));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await GetGroupsAsync(project)).Total, Is.Zero);
    }

    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task A_group_that_does_not_exist_is_a_404_and_a_malformed_id_a_400(string method)
    {
        using var missing = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/{NewProjectId()}/images/group/{Guid.NewGuid()}")
        {
            Content = JsonContent.Create(new { read_me = "x" }, options: Wire.Json),
        });
        using var malformed = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/{NewProjectId()}/images/group/nope")
        {
            Content = JsonContent.Create(new { read_me = "x" }, options: Wire.Json),
        });

        await AssertErrorAsync(missing, HttpStatusCode.NotFound, "ModelArts.6404");
        var error = await AssertErrorAsync(malformed, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith("Invalid parameter 'id': "));
    }
}
