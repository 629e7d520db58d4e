using System.Net;
using System.Net.Http.Json;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Images;

/// <summary>RegisterImage (CONTRACT.md section 2) through the real pipeline and PostgreSQL.</summary>
public sealed class RegisterImageTests : ApiTest
{
    [Test]
    public async Task Answers_201_with_the_image_parsed_from_its_swr_path_and_the_contract_defaults()
    {
        var project = NewProjectId();

        using var response = await PostImageAsync(project, new { swr_path = "swr.example.com:5000/team-a/py_torch.x:2.1-cuda" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var image = (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
        Assert.Multiple(() =>
        {
            Assert.That(image.Namespace, Is.EqualTo("team-a"));
            Assert.That(image.Name, Is.EqualTo("py_torch.x"));
            Assert.That(image.Tag, Is.EqualTo("2.1-cuda"));
            Assert.That(image.SwrPath, Is.EqualTo("swr.example.com:5000/team-a/py_torch.x:2.1-cuda"));
            Assert.That(image.Type, Is.EqualTo("DEDICATED"));
            Assert.That(image.Status, Is.EqualTo("ACTIVE"));
            Assert.That(image.Arch, Is.EqualTo("X86_64"));
            Assert.That(image.Origin, Is.EqualTo("CUSTOMIZE"));
            Assert.That(image.ServiceType, Is.EqualTo("UNKNOWN"));
            Assert.That(image.Visibility, Is.EqualTo("PRIVATE"));
            Assert.That(image.WorkspaceId, Is.EqualTo("0"));
            Assert.That(image.CreateAt, Is.EqualTo(Now()));
            Assert.That(image.UpdateAt, Is.EqualTo(Now()));
            Assert.That(image.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/{project}/images/{image.Id}"));
        });
    }

    [Test]
    public async Task Takes_every_optional_field_in_any_letter_case()
    {
        using var response = await PostImageAsync(NewProjectId(), new
        {
            swr_path = "swr.example.com/team-a/app:1",
            description = "Ünïcode déscription ✓",
            arch = "aarch64",
            origin = "IMAGE_SAVE",
            resource_category = new[] { "GPU", "cpu" },
            service_type = "inference",
            services = new[] { "NOTEBOOK", "web_ide" },
            visibility = "PUBLIC",
            workspace_id = "0123456789abcdef0123456789abcdef",
            tags = new[] { "fast", "gpu" },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var image = (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
        Assert.Multiple(() =>
        {
            Assert.That(image.Description, Is.EqualTo("Ünïcode déscription ✓"));
            Assert.That(image.Arch, Is.EqualTo("AARCH64"));
            Assert.That(image.Origin, Is.EqualTo("IMAGE_SAVE"));
            Assert.That(image.ResourceCategories, Is.EqualTo(new[] { "GPU", "CPU" }));
            Assert.That(image.ServiceType, Is.EqualTo("INFERENCE"));
            Assert.That(image.DevServices, Is.EqualTo(new[] { "NOTEBOOK", "WEB_IDE" }));
            Assert.That(image.Visibility, Is.EqualTo("PUBLIC"));
            Assert.That(image.WorkspaceId, Is.EqualTo("0123456789abcdef0123456789abcdef"));
        });
    }

    [Test]
    public async Task The_new_version_shows_up_in_the_groups_at_once()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team-a/app:1");
        Tick();

        await RegisterAsync(project, "swr.example.com/team-a/app:2");
        var page = await GetGroupsAsync(project);

        Assert.That(page.Data.Single().VersionCount, Is.EqualTo(2));
        Assert.That(page.Data.Single().UpdateAt, Is.EqualTo(Now()));
    }

    [Test]
    public async Task The_same_swr_path_again_is_a_409_and_changes_nothing()
    {
        var project = NewProjectId();
        var registeredAt = Now();
        await RegisterAsync(project, "swr.example.com/team-a/app:1");
        Tick();

        using var again = await PostImageAsync(project, new { swr_path = "swr.example.com/team-a/app:1" });

        var error = await AssertErrorAsync(again, HttpStatusCode.Conflict, "ModelArts.6409");
        Assert.That(error.ErrorMsg, Does.Contain("swr.example.com/team-a/app:1"));
        var group = (await GetGroupsAsync(project)).Data.Single();
        Assert.Multiple(async () =>
        {
            Assert.That(group.VersionCount, Is.EqualTo(1));
            Assert.That(group.UpdateAt, Is.EqualTo(registeredAt));
            Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_same_swr_path_in_another_project_or_workspace_is_another_image()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/team-a/app:1");

        await RegisterAsync(NewProjectId(), "swr.example.com/team-a/app:1");
        await RegisterAsync(project, "swr.example.com/team-a/app:1", workspaceId: "0123456789abcdef0123456789abcdef");

        Assert.That(await CountRowsAsync("images"), Is.EqualTo(3));
    }

    [Test]
    public async Task The_same_swr_path_twice_among_built_in_images_is_a_409_whichever_project_sends_it()
    {
        await RegisterAsync(NewProjectId(), "swr.example.com/platform/pytorch:2", type: "BUILD_IN");

        using var again = await PostImageAsync(NewProjectId(), new { swr_path = "swr.example.com/platform/pytorch:2", type = "BUILD_IN" });

        await AssertErrorAsync(again, HttpStatusCode.Conflict, "ModelArts.6409");
    }

    [TestCase("swr.example.com/a/b", TestName = "swr_path without a tag")]
    [TestCase("short/a/b:1", TestName = "swr_path shorter than 16")]
    [TestCase("swr.example.com/team/sub/app:1", TestName = "swr_path with four segments")]
    [TestCase("swr.example.com/app:1", TestName = "swr_path without namespace")]
    [TestCase("swr.example.com/Team/app:1", TestName = "swr_path namespace upper-case")]
    [TestCase("swr.example.com/team/App:1", TestName = "swr_path name upper-case")]
    [TestCase("swr.example.com/team/app:.1", TestName = "swr_path tag starting with a dot")]
    [TestCase("swr.example.com/team/app:", TestName = "swr_path empty tag")]
    [TestCase("swr.example.com:70000/team/app:1", TestName = "swr_path port out of range")]
    [TestCase("swr_example.com/team/app:1", TestName = "swr_path registry with an underscore")]
    [TestCase("swr.example.com/team/app@sha256:abc", TestName = "swr_path digest reference")]
    [TestCase("swr.example.com/team/app:1\n", TestName = "swr_path trailing newline")]
    [TestCase("swr.example.com/team/app:1'; DROP TABLE images; --", TestName = "swr_path SQL injection")]
    public async Task An_invalid_swr_path_is_a_400_and_nothing_is_stored(string swrPath)
    {
        using var response = await PostImageAsync(NewProjectId(), new { swr_path = swrPath });

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith("Invalid parameter 'swr_path': "));
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [Test]
    public async Task A_too_long_swr_path_is_a_400()
    {
        using var response = await PostImageAsync(NewProjectId(), new { swr_path = $"swr.example.com/team/{new string('a', 2040)}:1" });

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith("Invalid parameter 'swr_path': "));
    }

    public static IEnumerable<TestCaseData> InvalidFields()
    {
        const string path = "swr.example.com/team/app:1";
        yield return new TestCaseData(new { description = "x" }, "swr_path").SetName("missing swr_path");
        yield return new TestCaseData(new { swr_path = path, description = new string('d', 513) }, "description").SetName("description too long");
        yield return new TestCaseData(new { swr_path = path, read_me = new string('r', 3001) }, "read_me").SetName("read_me too long");
        yield return new TestCaseData(new { swr_path = path, workspace_id = "ws" }, "workspace_id").SetName("bad workspace id");
        yield return new TestCaseData(new { swr_path = path, tags = Enumerable.Range(0, 21).Select(i => $"t{i}") }, "tags").SetName("21 tags");
        yield return new TestCaseData(new { swr_path = path, tags = new[] { new string('t', 129) } }, "tags[0]").SetName("tag too long");
        yield return new TestCaseData(new { swr_path = path, services = new[] { "SSH", "ssh" } }, "services").SetName("repeated service");
    }

    [TestCaseSource(nameof(InvalidFields))]
    public async Task A_field_that_breaks_a_rule_is_a_400_naming_it(object body, string field)
    {
        using var response = await PostImageAsync(NewProjectId(), body);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain($"Invalid parameter '{field}': "));
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [TestCase("{not json", TestName = "body not JSON")]
    [TestCase("[]", TestName = "body an array")]
    [TestCase("\"text\"", TestName = "body a string")]
    [TestCase("{\"swr_path\": 42}", TestName = "swr_path a number")]
    [TestCase("{\"swr_path\": \"swr.example.com/team/app:1\", \"tags\": [1]}", TestName = "a tag that is a number")]
    [TestCase("{\"swr_path\": \"swr.example.com/team/app:1\", \"arch\": \"SPARC\"}", TestName = "unknown arch")]
    [TestCase("{\"swr_path\": \"swr.example.com/team/app:1\", \"arch\": 1}", TestName = "arch as a number")]
    [TestCase("{\"swr_path\": \"swr.example.com/team/app:1\", \"type\": \"PUBLIC\"}", TestName = "unknown type")]
    [TestCase("{\"swr_path\": \"swr.example.com/team/app:1\", \"tags\": \"one\"}", TestName = "tags not an array")]
    [TestCase("{\"swr_path\": \"swr.example.com/team/app:1\", \"swr_path\": \"swr.example.com/team/app:2\"}", TestName = "duplicate property")]
    [TestCase("", TestName = "empty body")]
    public async Task A_body_that_cannot_be_read_is_a_400_invalid_payload(string body)
    {
        using var response = await PostRawAsync(NewProjectId(), body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.6400");
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [Test]
    public async Task A_body_that_is_not_json_by_content_type_is_a_415()
    {
        using var response = await PostRawAsync(NewProjectId(), "swr_path=x", "application/x-www-form-urlencoded");

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "ModelArts.6415");
    }

    [Test]
    public async Task A_built_in_image_is_registered_outside_any_project()
    {
        var image = await RegisterAsync(NewProjectId(), "swr.example.com/platform/tf:2", type: "BUILD_IN");

        var seenElsewhere = await GetGroupsAsync(NewProjectId(), "type=BUILD_IN");

        Assert.That(image.Type, Is.EqualTo("BUILD_IN"));
        Assert.That(seenElsewhere.Data.Select(group => group.Name), Is.EqualTo(new[] { "tf" }));
    }
}
