package io.livesession.samples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat sample: every tab and device of one user shares that user's messages, and
 * rooms ({@link ChatRooms}) are topics that signed-in users enter from the page.
 *
 * @author livesession
 */
@SpringBootApplication
public class ChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChatApplication.class, args);
	}

}
