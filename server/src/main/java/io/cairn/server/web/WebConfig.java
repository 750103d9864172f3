package io.cairn.server.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** Servlet filters of the web edge that are not part of Spring Security. */
@Configuration(proxyBeanMethods = false)
public class WebConfig {

    /** The largest API request body accepted. */
    public static final DataSize MAX_API_BODY = DataSize.ofMegabytes(1);

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ProblemWriter problems) {
        FilterRegistrationBean<RequestBodyLimitFilter> bean = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(MAX_API_BODY.toBytes(), problems));
        bean.setOrder(-120);
        return bean;
    }
}
