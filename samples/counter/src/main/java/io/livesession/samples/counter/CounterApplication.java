package io.livesession.samples.counter;

import io.livesession.GroupInitializer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The counter sample: every tab of one browser shares one count, with zero configuration.
 *
 * @author livesession
 */
@SpringBootApplication
public class CounterApplication {

	public static void main(String[] args) {
		SpringApplication.run(CounterApplication.class, args);
	}

	@Bean
	GroupInitializer counterInitializer() {
		return (state) -> state.setAttribute(CounterActions.ATTRIBUTE, new Counter(0));
	}

}
