/**
 * The API a Java function is written against: implement {@link io.dcf.sdk.Handler}
 * (one request, one response) or {@link io.dcf.sdk.StreamHandler} (a stream of each).
 * This package uses JDK types only and has no dependencies.
 */
package io.dcf.sdk;
