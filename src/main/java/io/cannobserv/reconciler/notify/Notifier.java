package io.cannobserv.reconciler.notify;

import java.util.Optional;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Sends a message to the configured webhook, with every secret of the configuration taken
 * out, and says in one line what came of it. Never throws: a message that cannot be sent
 * changes nothing of the run.
 */
final class Notifier {

	private final Webhook webhook;

	private final Secrets secrets;

	private Notifier(Webhook webhook, Secrets secrets) {
		this.webhook = webhook;
		this.secrets = secrets;
	}

	/**
	 * The notifier the configuration asks for, or none when no webhook is set.
	 * @throws IllegalArgumentException when the settings are invalid, naming the fix but
	 * not the URL
	 */
	static Optional<Notifier> of(Environment environment) {
		NotifyProperties properties = Binder.get(environment).bindOrCreate("reconciler.notify", NotifyProperties.class);
		return of(properties, environment);
	}

	static Optional<Notifier> of(NotifyProperties properties, Environment environment) {
		if (properties.webhook() == null) {
			return Optional.empty();
		}
		return Optional
			.of(new Notifier(new Webhook(properties.webhook(), properties.timeout()), Secrets.of(environment)));
	}

	/**
	 * Posts {@code message}.
	 * @param why what the message is about, for the log
	 * @return whether it was sent, and a line for the log saying what came of it
	 */
	Webhook.Outcome send(String message, String why) {
		Webhook.Outcome outcome;
		try {
			outcome = this.webhook.post(this.secrets.redact(message));
		}
		catch (RuntimeException ex) {
			outcome = new Webhook.Outcome(false, ex.toString());
		}
		String detail = this.secrets.redact(outcome.detail());
		return new Webhook.Outcome(outcome.sent(),
				outcome.sent() ? "Notified " + this.webhook.host() + " (" + why + "): " + detail
						: "Notification not sent to " + this.webhook.host() + " (" + why + "): " + detail
								+ "; the run and its exit code stand");
	}

}
