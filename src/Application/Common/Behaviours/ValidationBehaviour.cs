using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace ImageCatalog.Application.Common.Behaviours;

/// <summary>
/// Runs every validator of a message before its handler and throws one <see cref="ValidationException"/>
/// carrying all field errors, so the client learns about every bad parameter at once. Validators run synchronously:
/// every rule here is a check of the message alone (anything that needs I/O belongs in the handler), and the
/// asynchronous path cost a state machine per rule, a few percent of a small request's CPU (docs/performance.md).
/// A test keeps asynchronous rules out. Nor is the behaviour itself asynchronous: a valid message goes on to the
/// next one without a state machine of its own.
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    // Enumerated once per message; an array is enumerated without allocating.
    private readonly IValidator<TMessage>[] _validators = [.. validators];

    public ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        List<ValidationFailure>? failures = null;
        foreach (var validator in _validators)
        {
            var result = validator.Validate(message);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        if (failures is not null)
        {
            throw new ValidationException(failures);
        }

        return next(message, cancellationToken);
    }
}
