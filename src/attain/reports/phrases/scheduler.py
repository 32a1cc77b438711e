"""Phrases of `attain scheduler`: what a tick did, per agreement.

Every key exists in both languages (tests/reports/test_phrases.py checks it).
"""

from __future__ import annotations

EN: dict[str, str] = {
    "scheduler.tick": "tick at {at}: {count} agreement(s) in force",
    "scheduler.agreement": "{name}: {results} result(s) stored, {reports} report(s) issued, {ledgers} ledger sync(s)",
    "scheduler.result": "  stored {what}",
    "scheduler.report": "  issued {file}",
    "scheduler.failed": "{name}: failed: {error}",
    "scheduler.delivery": "delivery failed: {error}",
    "scheduler.started": "scheduler on {url}, a tick every {interval} s (SIGTERM or Ctrl-C stops it)",
}

ZH_CN: dict[str, str] = {
    "scheduler.tick": "{at} 的调度：{count} 份生效中的协议",
    "scheduler.agreement": "{name}：存储结果 {results} 项，发布报告 {reports} 份，同步台账 {ledgers} 次",
    "scheduler.result": "  已存储 {what}",
    "scheduler.report": "  已发布 {file}",
    "scheduler.failed": "{name}：失败：{error}",
    "scheduler.delivery": "投递失败：{error}",
    "scheduler.started": "调度器运行于 {url}，每 {interval} 秒调度一次（SIGTERM 或 Ctrl-C 停止）",
}
