package io.livesession.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * livesession runs on Redis: livesession-redis and Spring Data Redis are on the
 * classpath, there is a {@code RedisConnectionFactory} bean, and
 * {@code livesession.store} is {@code redis} or unset. One definition, so that the group
 * store and the cluster leader are on Redis together or not at all.
 *
 * @author livesession
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// Class names, not literals: a meta-annotation is read by reflection, and a missing class
// would drop the condition instead of failing it.
@ConditionalOnClass(name = { "io.livesession.redis.RedisGroupStores",
		"org.springframework.data.redis.connection.RedisConnectionFactory" })
@ConditionalOnBean(type = "org.springframework.data.redis.connection.RedisConnectionFactory")
@ConditionalOnProperty(name = "livesession.store", havingValue = "redis", matchIfMissing = true)
@interface ConditionalOnRedisStore {

}
