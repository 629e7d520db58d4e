using FluentValidation;
using FluentValidation.Validators;
using ImageCatalog.Application.ImageGroups.GetImageGroups;

namespace ImageCatalog.UnitTests.Application;

/// <summary>
/// The validation behaviour runs validators synchronously; an asynchronous rule would throw there and answer 500,
/// so none may exist.
/// </summary>
public sealed class ValidatorsAreSynchronousTests
{
    public static IEnumerable<Type> ApplicationValidators() =>
        typeof(GetImageGroupsQueryValidator).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IValidator).IsAssignableFrom(type));

    [Test]
    public void The_application_has_validators_to_check() =>
        Assert.That(ApplicationValidators().Select(type => type.Name), Does.Contain(nameof(GetImageGroupsQueryValidator)));

    [TestCaseSource(nameof(ApplicationValidators))]
    public void Has_no_asynchronous_rule(Type validatorType) =>
        Assert.That(AsynchronousRules((IValidator)Activator.CreateInstance(validatorType)!), Is.Empty);

    [Test]
    public void An_asynchronous_rule_is_found() =>
        Assert.That(AsynchronousRules(new WithAsynchronousRule()), Is.EqualTo(new[] { nameof(GetImageGroupsQuery.Name) }));

    [Test]
    public void An_asynchronous_condition_is_found() =>
        Assert.That(AsynchronousRules(new WithAsynchronousCondition()), Is.EqualTo(new[] { nameof(GetImageGroupsQuery.Limit) }));

    private static IEnumerable<string?> AsynchronousRules(IValidator validator) =>
        ((IEnumerable<IValidationRule>)validator)
            .Where(rule => rule.HasAsyncCondition || rule.Components.Any(component => component.HasAsyncCondition || IsAsynchronousOnly(component.Validator)))
            .Select(rule => rule.PropertyName);

    // MustAsync and CustomAsync validators implement only the asynchronous interface.
    private static bool IsAsynchronousOnly(IPropertyValidator validator)
    {
        var interfaces = validator.GetType().GetInterfaces().Where(type => type.IsGenericType).Select(type => type.GetGenericTypeDefinition()).ToList();
        return interfaces.Contains(typeof(IAsyncPropertyValidator<,>)) && !interfaces.Contains(typeof(IPropertyValidator<,>));
    }

    private sealed class WithAsynchronousRule : AbstractValidator<GetImageGroupsQuery>
    {
        public WithAsynchronousRule() => RuleFor(query => query.Name).MustAsync((_, _) => Task.FromResult(true));
    }

    private sealed class WithAsynchronousCondition : AbstractValidator<GetImageGroupsQuery>
    {
        public WithAsynchronousCondition() => RuleFor(query => query.Limit).GreaterThan(0).WhenAsync((_, _) => Task.FromResult(true));
    }
}
