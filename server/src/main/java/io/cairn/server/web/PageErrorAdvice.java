package io.cairn.server.web;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * A {@link ProblemException} from a page controller: the error page with the problem's status and
 * words (API controllers answer with problem details instead, see {@link ProblemDetailsAdvice}).
 */
@ControllerAdvice(annotations = Controller.class)
public class PageErrorAdvice {

    @ExceptionHandler(ProblemException.class)
    ModelAndView problem(ProblemException e, HttpServletResponse response) {
        response.setStatus(e.status().value());
        ModelAndView mav = new ModelAndView("error");
        mav.addObject("status", e.status().value());
        mav.addObject("errorTitle", e.title());
        mav.addObject("detail", e.getMessage());
        mav.setStatus(e.status());
        return mav;
    }
}
