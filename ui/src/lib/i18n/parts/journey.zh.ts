// Journey timeline messages (Simplified Chinese).
import type { journeyEn } from "./journey.en";
import type { Shape } from "../shape";

export const journeyZh: Shape<typeof journeyEn> = {
  title: "就诊旅程",
  back: "返回",
  version: "第{n}版",
  cancelReason: "原因：{reason}",
  next: {
    title: "下一步",
    due: "截止{time}",
    now: "正在进行",
    overdue: "已逾期",
    complete: "无待办：旅程已完成。",
    cancelled: "无待办：预约已取消。",
    noshow: "无待办：患者爽约未到。",
  },
  phases: {
    pre_visit: "就诊前",
    visit: "就诊",
    post_visit: "就诊后",
  },
  states: {
    done: "已完成",
    current: "当前",
    skipped: "已跳过",
    upcoming: "待进行",
  },
  entered: "{time}进入",
  completed: "{time}完成",
  due: "截止{time}",
  minutes: "{minutes}分钟",
  standard: "标准{minutes}分钟",
  overStandard: "超出标准",
  noStages: "这一部分没有阶段。",
  events: {
    title: "事件记录",
    time: "时间",
    stage: "阶段",
    what: "事件",
    by: "操作方",
    empty: "尚无任何事件。",
  },
  kinds: {
    entered: "进入",
    started: "开始",
    completed: "完成",
    skipped: "跳过",
  },
  actors: {
    user: "员工",
    scheduler: "自动排程",
    import: "导入",
    demo: "演示数据",
  },
  patient: {
    title: "就诊旅程",
    empty: "暂无旅程：预约就诊后自动开始。",
    noDate: "无预约",
    complete: "已完成",
  },
};
