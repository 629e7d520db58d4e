using ImageCatalog.Domain.Images;

namespace ImageCatalog.UnitTests.Domain;

public sealed class ImageRulesTests
{
    [TestCase("a")]
    [TestCase("pytorch_1_8")]
    [TestCase("mock-service-python")]
    [TestCase("123")]
    [TestCase("a.b-c_d")]
    [TestCase("...")]
    public void Accepts_names_of_lowercase_letters_digits_dots_underscores_and_dashes(string name) =>
        Assert.That(ImageRules.IsValidName(name), Is.True);

    [TestCase("")]
    [TestCase("Pytorch")]
    [TestCase("py torch")]
    [TestCase("py/torch")]
    [TestCase("py:torch")]
    [TestCase("café")]
    [TestCase("a%b")]
    [TestCase("a\\b")]
    [TestCase("name\n")]
    [TestCase("٣")]
    public void Rejects_other_names(string name) => Assert.That(ImageRules.IsValidName(name), Is.False);

    [Test]
    public void Names_may_have_512_characters_but_not_513()
    {
        Assert.That(ImageRules.IsValidName(new string('a', 512)), Is.True);
        Assert.That(ImageRules.IsValidName(new string('a', 513)), Is.False);
    }

    [TestCase("a")]
    [TestCase("infer-model-dev")]
    [TestCase("op_svc_modelarts_container2")]
    [TestCase("mock-Service.1")]
    public void Accepts_namespaces_starting_with_a_lowercase_letter(string value) =>
        Assert.That(ImageRules.IsValidNamespace(value), Is.True);

    [TestCase("")]
    [TestCase("1team")]
    [TestCase("Team")]
    [TestCase("_team")]
    [TestCase("-team")]
    [TestCase(".team")]
    [TestCase("team a")]
    [TestCase("team/a")]
    [TestCase("team\n")]
    public void Rejects_other_namespaces(string value) => Assert.That(ImageRules.IsValidNamespace(value), Is.False);

    [Test]
    public void Namespaces_may_have_64_characters_but_not_65()
    {
        Assert.That(ImageRules.IsValidNamespace("n" + new string('A', 63)), Is.True);
        Assert.That(ImageRules.IsValidNamespace("n" + new string('A', 64)), Is.False);
    }

    [TestCase("latest", true)]
    [TestCase("1.8.0", true)]
    [TestCase("_private", true)]
    [TestCase("V2-RC.1", true)]
    [TestCase(".hidden", false)]
    [TestCase("-dash", false)]
    [TestCase("", false)]
    [TestCase("a b", false)]
    [TestCase("a:b", false)]
    public void Tags_follow_the_docker_tag_grammar(string tag, bool valid) =>
        Assert.That(ImageRules.IsValidTag(tag), Is.EqualTo(valid));

    [Test]
    public void Tags_may_have_128_characters_but_not_129()
    {
        Assert.That(ImageRules.IsValidTag(new string('t', 128)), Is.True);
        Assert.That(ImageRules.IsValidTag(new string('t', 129)), Is.False);
    }

    [TestCase("0", true)]
    [TestCase("0123456789abcdef0123456789abcdef", true)]
    [TestCase("zyxwvutsrqponmlkjihgfedcba012345", true)]
    [TestCase("", false)]
    [TestCase("00", false)]
    [TestCase("1", false)]
    [TestCase("0123456789ABCDEF0123456789abcdef", false)]
    [TestCase("0123456789abcdef0123456789abcde", false)]
    [TestCase("0123456789abcdef0123456789abcdef0", false)]
    [TestCase("0\n", false)]
    public void Workspace_ids_are_0_or_32_lowercase_letters_and_digits(string value, bool valid) =>
        Assert.That(ImageRules.IsValidWorkspaceId(value), Is.EqualTo(valid));

    [TestCase("0123456789abcdef0123456789abcdef", true)]
    [TestCase("project-1_A", true)]
    [TestCase("", false)]
    [TestCase("bad project", false)]
    [TestCase("p/q", false)]
    public void Project_ids_are_tokens(string value, bool valid) =>
        Assert.That(ImageRules.IsValidProjectId(value), Is.EqualTo(valid));
}
