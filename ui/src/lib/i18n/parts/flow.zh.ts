// Flow board messages (Simplified Chinese).
import type { flowEn } from "./flow.en";
import type { Shape } from "../shape";

export const flowZh: Shape<typeof flowEn> = {
  title: "就诊看板",
  summary: "今日：{total} · 在院：{inClinic} · 已完成：{done}",
  timeZone: "时区：{zone}",
  board: "今日患者（按就诊阶段）",
  columns: {
    booked: "已预约",
    arrived: "已到诊",
    waiting: "候诊",
    with_clinician: "就诊中",
    check_out: "结算离院",
    done: "已完成",
  },
  count: "{count}位患者",
  medianWait: "目前候诊中位数：{minutes}分钟",
  median: "目前中位数：{minutes}分钟",
  advance: {
    booked: "签到",
    arrived: "进入候诊",
    waiting: "叫号",
    with_clinician: "去结算",
    check_out: "完成",
  },
  back: "退回“{column}”",
  journey: "就诊旅程",
  journeyOf: "打开{patient}的就诊旅程",
  due: "{time}就诊",
  late: "已迟到{minutes}分钟",
  inStage: "本阶段已用时",
  standard: "标准{minutes}分钟",
  over: "超出标准{minutes}分钟",
  overRed: "超时{minutes}分钟",
  emptyColumn: "暂无患者",
  dropHere: "拖到此处",
  empty: "今天没有预约的患者。",
  emptyHint: "日程中一有今天的预约，患者就会出现在这里。",
  noShows: "今日爽约",
};
