/**
 * Notices: what the admission webhook tells the broker to record before it allows a break-glass
 * write or an unprotect ({@link dev.seb.contracts.notice.Notice}), and who may tell it ({@link
 * dev.seb.contracts.notice.ServiceAccountCaller}).
 */
package dev.seb.contracts.notice;
